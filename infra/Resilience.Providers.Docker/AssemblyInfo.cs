using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Resilience.Tests")]
[assembly: InternalsVisibleTo("Resilience.IntegrationTests")]

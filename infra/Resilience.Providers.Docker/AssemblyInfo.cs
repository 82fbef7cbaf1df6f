using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Resilience.Tests")]

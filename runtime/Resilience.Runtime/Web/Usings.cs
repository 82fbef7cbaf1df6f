// The endpoints read every part of the runtime; the parts' namespaces are imported once, here.
global using Resilience.Runtime.Config;
global using Resilience.Runtime.Health;
global using Resilience.Runtime.HealthSync;
global using Resilience.Runtime.Ingest;
global using Resilience.Runtime.Partition;
global using Resilience.Runtime.Publishing;
global using Resilience.Runtime.Security;

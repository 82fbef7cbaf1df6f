using Resilience.DemoFleet;
using Resilience.DemoFleet.Contracts;

const string Name = "resilience-demo-fleet";
const string EnvironmentVariable = "RESILIENCE_FLEET_CONFIG";

var path = ConfigPath(args) ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
if (path is null)
{
    Console.Error.WriteLine($"{Name}: error: no fleet config: pass --config PATH or set {EnvironmentVariable}");
    return 2;
}
FleetConfig config;
try
{
    config = FleetConfigYaml.Load(path);
}
catch (FleetConfigException e)
{
    Console.Error.WriteLine($"{Name}: error: {e.Message}");
    return 2;
}

WebApplication app;
try
{
    app = FleetHost.Build(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
}
catch (FleetConfigException e)
{
    Console.Error.WriteLine($"{Name}: error: {path}: {e.Message}");
    return 2;
}
try
{
    await app.StartAsync();
}
catch (IOException e)
{
    // Kestrel's bind failure names the address and port ("address already in use").
    Console.Error.WriteLine($"{Name}: error: {path}: cannot listen: {e.Message}");
    return 2;
}
await app.WaitForShutdownAsync();
return 0;

static string? ConfigPath(string[] args)
{
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--config" && i + 1 < args.Length)
        {
            return args[i + 1];
        }
        if (args[i].StartsWith("--config=", StringComparison.Ordinal))
        {
            return args[i]["--config=".Length..];
        }
    }
    return null;
}

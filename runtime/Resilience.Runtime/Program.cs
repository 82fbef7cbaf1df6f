using Resilience.Runtime.Config;
using Resilience.Runtime.Health;
using Resilience.Runtime.Ingest;
using Resilience.Runtime.Publishing;
using Resilience.Runtime.Security;
using Resilience.Runtime.Web;

var configPath = RuntimeConfigLoader.FindPath(args, Environment.GetEnvironmentVariable);
if (configPath is null)
{
    Console.Error.WriteLine($"resilience-runtime: no config file: pass --config PATH or set {RuntimeConfigLoader.EnvironmentVariable}");
    return 2;
}
RuntimeConfig config;
try
{
    config = RuntimeConfigLoader.Load(configPath);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"resilience-runtime: {e.Message}");
    return 2;
}

// The key file is 0600 and belongs to whoever deployed it: read before root is given up.
RuntimeSecurity? security = null;
if (config.Https is { } https)
{
    try
    {
        security = RuntimeSecurity.Load(https, configPath);
    }
    catch (ConfigException e)
    {
        Console.Error.WriteLine($"resilience-runtime: {e.Message}");
        return 2;
    }
}

if (config.RunAs is { } user)
{
    try
    {
        Privileges.DropTo(user, config.Buffer.Path);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"resilience-runtime: cannot run as {user}: {e.Message}");
        return 2;
    }
}

var app = RuntimeHost.Build(config, args, security: security);
await app.RunAsync();
return 0;

using System.CommandLine;
using System.Text.Json;
using Resilience.Cli.Rendering;
using Resilience.Operations.Status;
using Resilience.Stack.Config;

namespace Resilience.Cli.Commands;

/// <summary>
/// `status`: the live NATS topology as seen from every machine (see <see cref="TopologyProbe"/>). Exit 0 when
/// every machine answers and the link or cluster is whole, 1 when degraded.
/// </summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(Option<string> stackOption)
    {
        var json = new Option<bool>("--json", "-j") { Description = "Machine-readable JSON on stdout" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each machine", DefaultValueFactory = _ => 3 };
        var command = new Command("status", "Show the NATS leaf link or cluster peers, stream counts and lag of every machine") { stackOption, json, timeout };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0)) throw new UsageException("--timeout", $"must be a positive number of seconds, got {seconds}");
            var config = ProjectContext.Discover().LoadConfig(parse.GetRequiredValue(stackOption));
            var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
            var report = await new TopologyProbe(settings, TimeSpan.FromSeconds(seconds)).ReadAsync(ct);
            if (parse.GetValue(json)) Console.WriteLine(report.ToJson().ToJsonString(Indented));
            else Console.Write(report.ToText());
            return report.Healthy ? 0 : CliErrors.Failed;
        }, ct));
        return command;
    }
}

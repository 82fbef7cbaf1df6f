using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Command;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Command;

/// <summary>
/// "command:agent-restart": runs one agent's restart command as an argument list (no shell, so an agent name is
/// never code), with its output captured; a non-zero exit or a timeout fails the step naming the command and what it said.
/// </summary>
public sealed class CommandProvider(TimeSpan? timeout = null) : IProvider
{
    public static readonly string AgentRestartType = ResourceTypes.TypeOf<AgentRestartInputs>();
    private static readonly ResourceContract Contract = ResourceContract.Of<AgentRestartInputs>();
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(2);

    // The agents this run has told already. A replace (a changed file) creates the new restart and then deletes the old
    // one: the agent has read its current file by then, and telling it again would restart it twice.
    private readonly ConcurrentDictionary<string, byte> _told = new(StringComparer.Ordinal);

    public string Family => "command";

    public CheckResult Check(Resource desired)
    {
        if (desired.Type != AgentRestartType)
            return CheckResult.Failed(desired, new CheckFailure("", $"unknown type {desired.Type}: the command provider serves only {AgentRestartType}"));
        var read = ContractJson.Read<AgentRestartInputs>(desired.Inputs);
        return read.Ok ? CheckResult.Valid(desired) : CheckResult.Failed(desired, read.Failures);
    }

    public DiffResult Diff(ResourceState recorded, CheckResult desired)
    {
        var changed = InputDiff.ChangedKeys(recorded.Inputs, desired.Desired.Inputs);
        var forcing = changed.Intersect(Contract.ReplaceKeys).ToList();
        if (forcing.Count > 0) return DiffResult.Replace(forcing);
        return changed.Count > 0 ? DiffResult.Update(changed) : DiffResult.Same;
    }

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) => TellAsync(desired.Inputs, ct);

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) => TellAsync(desired.Inputs, ct);

    /// <summary>A restart that ran has nothing to read back: it stays as recorded.</summary>
    public Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct) =>
        Task.FromResult<ReadResult?>(new ReadResult(recorded.Inputs.DeepClone().AsObject(), recorded.Outputs.DeepClone().AsObject()));

    /// <summary>The agent's file went away (or its original was put back): the agent is told again, so it reads what is left.</summary>
    public Task DeleteAsync(ResourceState recorded, CancellationToken ct) =>
        recorded.Inputs["program"]?.GetValue<string>() is { } program && _told.ContainsKey(program) ? Task.CompletedTask : RunAsync(recorded.Inputs, ct);

    private async Task<JsonObject> TellAsync(JsonObject inputs, CancellationToken ct)
    {
        var outputs = await RunAsync(inputs, ct);
        if (inputs["program"]?.GetValue<string>() is { } program) _told[program] = 0;
        return outputs;
    }

    private async Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken ct)
    {
        var read = ContractJson.Read<AgentRestartInputs>(inputs);
        if (!read.Ok) throw new InvalidOperationException(string.Join("; ", read.Failures));
        var args = read.Value.Args;
        var shown = string.Join(' ', args);
        var start = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args.Skip(1)) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"restart of {read.Value.Program}: could not start '{shown}'");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"restart of {read.Value.Program}: could not start '{shown}': {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(_timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"restart of {read.Value.Program}: '{shown}' did not finish within {_timeout.TotalSeconds:F0} s");
            }
            var said = ((await stdout) + (await stderr)).Trim();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"restart of {read.Value.Program}: '{shown}' exited {process.ExitCode}: {said}");
            return new JsonObject
            {
                ["exitCode"] = 0,
                ["output"] = said.Length > 2000 ? said[..2000] : said,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            };
        }
    }
}

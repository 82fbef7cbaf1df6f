using System.CommandLine;
using System.Diagnostics;
using Resilience.Engine;
using Resilience.Operations.Security;
using Resilience.Stack.Config;

namespace Resilience.Cli.Commands;

/// <summary>
/// `rotate`: new credentials and/or machine certificates for the whole pair, each round written into every stack file
/// and applied by an `up` of every deployed stack of the pair (PC2 and the witness first, MainPC last) before the next
/// round, so that no client ever presents what a listener refuses. With --no-up it writes one round and stops: the
/// way on real machines, where each machine runs its own `up`.
/// </summary>
public static class RotateCommand
{
    private const string Credentials = "credentials";
    private const string Certificates = "certificates";
    private const string All = "all";

    public static Command Create(Option<string> stack)
    {
        var o = new EngineOptions(stack);
        var what = new Option<string>("--what") { Description = "What to replace: credentials (three rounds), certificates (one round, same CA) or all", DefaultValueFactory = _ => All };
        what.AcceptOnlyFromAmong(Credentials, Certificates, All);
        var noUp = new Option<bool>("--no-up") { Description = "Write the next round into the stack files and stop; run `up` on every machine of the pair, then rotate again" };
        var command = new Command("rotate", "Replace the pair's credentials and/or machine certificates without a moment where a listener refuses its clients")
            { o.Stack, o.Backend, o.Parallel, what, noUp };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var project = ProjectContext.Discover();
            project.LoadConfig(parse.GetRequiredValue(o.Stack));
            var which = parse.GetRequiredValue(what);
            var clock = Stopwatch.StartNew();
            var rounds = new List<Func<string>>();
            if (which is Certificates or All)
            {
                rounds.Add(() =>
                {
                    var changes = CertificateRenewal.ReissueAll(project.Directory, DateTimeOffset.UtcNow);
                    return $"certificates: a new key and certificate for {string.Join(", ", changes.Select(c => $"{c.Stack} ({c.Machine})"))} from the same CA";
                });
            }
            if (which is Credentials or All)
            {
                var phase = CredentialRotation.Phase(project.Directory);
                var count = phase switch { RotationPhase.Idle => 3, RotationPhase.Accepting => 2, _ => 1 };
                for (var i = 0; i < count; i++) rounds.Add(() => "credentials " + CredentialRotation.Advance(project.Directory).Describe());
            }
            if (parse.GetValue(noUp))
            {
                if (which == All) throw new UsageException("--what", "with --no-up give credentials or certificates: each call writes one round of one of them");
                Console.WriteLine(rounds[0]());
                var then = rounds.Count > 1 ? ", then `rotate --no-up` again for the next round" : "";
                Console.WriteLine($"written into the stack files of the pair in {clock.Elapsed.TotalSeconds:0.0}s; now run `up` for every stack of the pair (pc2 first, then mainpc){then}");
                return 0;
            }
            var deployed = Deployed(project, parse.GetValue(o.Backend));
            if (deployed.Count == 0)
                throw new UsageException("--no-up", "no stack of the pair is deployed from this backend: write the rounds with --no-up and run `up` on each machine");
            foreach (var (round, index) in rounds.Select((r, i) => (r, i + 1)))
            {
                var roundClock = Stopwatch.StartNew();
                Console.WriteLine($"[{index}/{rounds.Count}] {round()}");
                foreach (var stack in deployed)
                {
                    var session = EngineSession.Open(stack, parse.GetValue(o.Backend));
                    var options = new ApplyOptions { MaxParallelism = parse.GetValue(o.Parallel), Config = session.ConfigSnapshot(), GitCommit = session.GitCommit() };
                    var result = await session.Engine.UpAsync(session.DesiredGraph(), options, null, ct);
                    var changed = string.Join(", ", result.Version.Summary.Where(p => p.Key != "same").Select(p => $"{p.Value} {p.Key}"));
                    Console.WriteLine($"      up --stack {stack}: {(result.Succeeded ? "ok" : "FAILED")} ({(changed.Length == 0 ? "no changes" : changed)}) in {result.Elapsed.TotalSeconds:0.0}s, version {result.Version.Version}");
                    if (!result.Succeeded)
                    {
                        foreach (var failure in result.Failures) Console.Error.WriteLine($"error: {failure.Step.Urn}: {failure.Error}");
                        Console.Error.WriteLine($"error: the rotation stopped in round {index} of {rounds.Count}: the stack files hold that round; " +
                            $"fix the failure and run `up --stack {stack}`, then `rotate` again to go on from there");
                        return CliErrors.Failed;
                    }
                }
                Console.WriteLine($"      round {index} took {roundClock.Elapsed.TotalSeconds:0.0}s");
            }
            Console.WriteLine($"rotated {which} across {string.Join(", ", deployed)} in {clock.Elapsed.TotalSeconds:0.0}s");
            return 0;
        }, ct));
        return command;
    }

    /// <summary>The pair's stacks that have a deployed version in this backend, MainPC last (its listeners are the
    /// hub side of every link; either order is safe, this one matches the docs).</summary>
    private static List<string> Deployed(ProjectContext project, string? backend) => PairStack.Find(project.Directory)
        .Where(s => EngineSession.Open(s.Stack, backend).Engine.History.LastApplied() is not null)
        .OrderBy(s => s.Machine == Machines.MainPc ? 1 : 0).ThenBy(s => s.Stack, StringComparer.Ordinal)
        .Select(s => s.Stack).ToList();
}

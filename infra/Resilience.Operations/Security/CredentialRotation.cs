using System.Globalization;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Operations.Security;

/// <summary>Where a credential rotation stands, read from the pair's <see cref="SecurityCredentials"/>.</summary>
public enum RotationPhase
{
    /// <summary>No rotation: listeners accept the users, clients present them.</summary>
    Idle,

    /// <summary>Round 1 written: listeners accept the next generation too; clients still present the current one.</summary>
    Accepting,

    /// <summary>Round 2 written: clients present the new generation; listeners still accept the old (retiring) one.</summary>
    Switched,
}

/// <summary>One round of a rotation: the phase the pair's stack files were in and the one they are in now.</summary>
public sealed record RotationRound(RotationPhase From, RotationPhase To, int Generation, IReadOnlyList<StackMaterialChange> Stacks)
{
    public string Describe() => To switch
    {
        RotationPhase.Accepting => $"round 1 of 3: every listener accepts generation {Generation} beside the current one; clients unchanged",
        RotationPhase.Switched => $"round 2 of 3: every client presents generation {Generation}; listeners still accept generation {Generation - 1}",
        _ => $"round 3 of 3: generation {Generation - 1} retired; only generation {Generation} is accepted",
    };
}

/// <summary>
/// Replaces every role's credentials without a moment where a client presents what a listener refuses: three rounds,
/// each written into every stack file of the pair and then applied by an <c>up</c> of every machine before the next
/// (listeners take the new users first, then clients switch, then the old users go). User names carry the generation
/// (<c>operator-g2</c>): a web config maps one hash per name, so the old and new must be two users while both are accepted.
/// </summary>
public static class CredentialRotation
{
    public static RotationPhase Phase(SecurityCredentials credentials) =>
        credentials.Next.Count > 0 ? RotationPhase.Accepting : credentials.Retiring.Count > 0 ? RotationPhase.Switched : RotationPhase.Idle;

    /// <summary>The pair's phase (the stack files must agree); an error when the pair has no credentials yet.</summary>
    public static RotationPhase Phase(string projectDir, Func<string, string?>? getVariable = null)
    {
        var stacks = PairStack.Find(projectDir);
        return Phase(Read(stacks, getVariable).Credentials);
    }

    /// <summary>Writes the next round into every stack file of the pair.</summary>
    public static RotationRound Advance(string projectDir, Func<string, string?>? getVariable = null, BcryptHasher? hasher = null)
    {
        var stacks = PairStack.Find(projectDir);
        var (credentials, readers) = Read(stacks, getVariable);
        var from = Phase(credentials);
        var (next, generation) = Next(credentials, hasher ?? new BcryptHasher());
        var json = next.ToJson();
        var changes = stacks.Select(s => PairMaterial.Write(s, readers[s.Stack],
            new Dictionary<string, (string, bool)> { [SecurityKeys.Credentials] = (json, true) }, getVariable)).ToList();
        return new RotationRound(from, Phase(next), generation, changes);
    }

    /// <summary>The state after <paramref name="credentials"/>' phase, and the generation being rotated to.</summary>
    public static (SecurityCredentials Next, int Generation) Next(SecurityCredentials credentials, BcryptHasher hasher)
    {
        switch (Phase(credentials))
        {
            case RotationPhase.Idle:
                var generation = credentials.Users.Values.Select(u => Generation(u.User)).DefaultIfEmpty(0).Max() + 1;
                var next = credentials.Users.Keys.ToDictionary(role => role, role => PairMaterial.NewUser(role, generation, hasher), StringComparer.Ordinal);
                return (credentials with { Next = next }, generation);
            case RotationPhase.Accepting:
                return (new SecurityCredentials(credentials.Next, credentials.Users), Generation(credentials.Next.Values.First().User));
            default:
                return (credentials with { Retiring = new Dictionary<string, UserCredential>() }, Generation(credentials.Users.Values.First().User));
        }
    }

    /// <summary>The generation in a user name (<c>operator-g3</c> → 3); 0 for a name without one.</summary>
    public static int Generation(string user)
    {
        var at = user.LastIndexOf("-g", StringComparison.Ordinal);
        return at >= 0 && int.TryParse(user.AsSpan(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static (SecurityCredentials Credentials, Dictionary<string, MaterialReader> Readers) Read(IReadOnlyList<PairStack> stacks, Func<string, string?>? getVariable)
    {
        var readers = stacks.ToDictionary(s => s.Stack, s => new MaterialReader(s, getVariable));
        var credentials = PairMaterial.PairCredentials(stacks, readers);
        if (credentials is null || stacks.Any(s => s.Config.Find(SecurityKeys.Credentials) is null))
        {
            var without = stacks.FirstOrDefault(s => s.Config.Find(SecurityKeys.Credentials) is null) ?? stacks[0];
            throw new ConfigException(without.StackFile, $"{without.Config.Project}:{SecurityKeys.Credentials}",
                $"missing: there is nothing to rotate until every stack file of the pair has its material (`security init --stack {without.Stack}`)");
        }
        return (credentials, readers);
    }
}

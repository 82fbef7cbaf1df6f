using System.Diagnostics;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Tests.Security;

/// <summary>`security init` as an operator runs it: writes every stack file of the pair, reads back, changes nothing
/// the second time, and no private key or password appears in a stack file or in any output.</summary>
public sealed class SecurityInitCliTests : IDisposable
{
    private readonly TempProject _project = new();

    /// <summary>The CLI with exactly the passphrase variables given (none inherited from the test's environment).</summary>
    private CliRunner.Result Run(string? passphrase, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Dir };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "resilience.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["RESILIENCE_PROJECT"] = _project.Dir;
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove(PassphraseEnvironment.Variable);
        info.Environment.Remove(PassphraseEnvironment.FileVariable);
        if (passphrase is not null) info.Environment[PassphraseEnvironment.Variable] = passphrase;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return new CliRunner.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private SecuritySettings Read(string stack, string passphrase)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, n => n == PassphraseEnvironment.Variable ? passphrase : null))).Security!;
    }

    private Dictionary<string, byte[]> StackFiles() => Directory.GetFiles(_project.Dir, "Pulumi.*.yaml").ToDictionary(f => f, File.ReadAllBytes);

    /// <summary>Every secret the material holds, as it could leak: passwords, and each private key's base64 lines.</summary>
    private static IEnumerable<string> Secrets(SecuritySettings s) =>
        s.Users.Values.Select(u => u.Password)
            .Concat(s.Certificates.Values.SelectMany(c => c.KeyPem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal))));

    [Fact]
    public void Init_writes_both_stack_files_reads_back_is_idempotent_and_shows_no_secret()
    {
        const string passphrase = "cli-init-passphrase";
        var first = Run(passphrase, "security", "init", "--stack", "mainpc");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("made a new CA", first.Stdout);
        var afterFirst = StackFiles();

        var mainpc = Read("mainpc", passphrase);
        var pc2 = Read("pc2", passphrase);
        Assert.Equal(mainpc.CaCertificatesPem, pc2.CaCertificatesPem);
        Assert.Contains("pc2", pc2.Certificates.Keys);

        var again = Run(passphrase, "security", "init", "--stack", "pc2");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already there: kept", again.Stdout);
        Assert.Equal(afterFirst, StackFiles());

        var config = Run(passphrase, "config", "--stack", "pc2");
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Contains("resilience:tlsPc2Key", config.Stdout);

        var everything = string.Concat(afterFirst.Values.Select(b => System.Text.Encoding.UTF8.GetString(b))) +
            first.Stdout + first.Stderr + again.Stdout + again.Stderr + config.Stdout + config.Stderr;
        var secrets = Secrets(mainpc).Concat(Secrets(pc2)).ToList();
        Assert.True(secrets.Count > 10, "the negative check below needs the secrets to look for");
        Assert.All(secrets, s => Assert.DoesNotContain(s, everything));
        Assert.DoesNotContain("PRIVATE KEY", everything);
        // Positive control: the certificates (public) are in the stack files as written, so the search above can find text there.
        Assert.Contains(pc2.Certificates["pc2"].CertificatePem.Split('\n')[1], everything);
    }

    [Fact]
    public void On_a_fresh_checkout_without_a_passphrase_init_makes_a_0600_local_one_that_later_commands_use()
    {
        var init = Run(null, "security", "init", "--stack", "mainpc");
        Assert.True(init.ExitCode == 0, init.ToString());
        var file = LocalPassphraseFile;
        Assert.True(File.Exists(file), init.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(".resilience/passphrase", init.Stderr);
        var passphrase = File.ReadAllText(file).Trim();
        Assert.DoesNotContain(passphrase, init.Stdout + init.Stderr);
        Assert.NotNull(Read("pc2", passphrase).Certificates["pc2"]);

        // A later command with no passphrase set reads the secrets through the local file.
        var again = Run(null, "security", "init", "--stack", "pc2");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already there: kept", again.Stdout);

        // A passphrase the operator sets wins over the local file: the wrong one is refused, naming the stack file.
        var wrong = Run("not-the-passphrase", "security", "init", "--stack", "pc2");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("incorrect passphrase", wrong.Stderr);
    }

    [Fact]
    public void Without_a_passphrase_stack_files_that_already_hold_secrets_get_no_new_one()
    {
        var init = Run("the-operators-passphrase", "security", "init", "--stack", "mainpc");
        Assert.True(init.ExitCode == 0, init.ToString());

        var without = Run(null, "security", "init", "--stack", "mainpc");

        Assert.Equal(2, without.ExitCode);
        Assert.Contains("no passphrase is set", without.Stderr);
        Assert.False(File.Exists(LocalPassphraseFile));
    }

    private string LocalPassphraseFile => _project.PathOf(".resilience/passphrase");

    public void Dispose() => _project.Dispose();
}

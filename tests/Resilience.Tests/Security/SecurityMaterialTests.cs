using System.Net;
using System.Security.Cryptography.X509Certificates;
using Resilience.Operations.Security;
using Resilience.Secrets;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Tests.Security;

/// <summary>The pair's TLS and credential material: made into the stack files, read back into StackSettings.Security,
/// all or nothing, every broken value named by file and key.</summary>
public sealed class SecurityMaterialTests : IDisposable
{
    private const string Passphrase = "material-test-passphrase";
    private static readonly Func<string, string?> Env = name => name == PassphraseEnvironment.Variable ? Passphrase : null;
    private readonly TempProject _project = new();

    private MaterialResult Init(MaterialOptions? options = null) =>
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, (options ?? MaterialOptions.Default) with { GetVariable = Env });

    private StackSettings Read(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, Env)));
    }

    private void Edit(string stack, Action<StackFileEditor> change)
    {
        var editor = StackFileEditor.Load(_project.PathOf($"Pulumi.{stack}.yaml"));
        change(editor);
        editor.Save();
    }

    [Fact]
    public void The_committed_stacks_have_no_material_so_their_listeners_stay_open()
    {
        Assert.Null(Read("mainpc").Security);
        Assert.Null(Read("pc2").Security);
    }

    [Fact]
    public void Init_gives_both_stacks_one_CA_and_one_set_of_credentials_and_each_its_own_certificate()
    {
        var result = Init();

        Assert.True(result.CaCreated);
        Assert.Equal(["mainpc", "pc2", "witness"], result.Stacks.Select(s => s.Stack));
        var mainpc = Read("mainpc").Security!;
        var pc2 = Read("pc2").Security!;
        Assert.Equal(mainpc.CaCertificatesPem, pc2.CaCertificatesPem);
        Assert.Equal(SecurityRoles.All(Machines.Stacks).Order(), mainpc.Users.Keys.Order());
        Assert.Equal(mainpc.Users, pc2.Users);
        Assert.Empty(mainpc.RetiringUsers);
        var admin = mainpc.User(SecurityRoles.NatsAdmin);
        Assert.Equal("nats-admin-g1", admin.User);
        Assert.True(BcryptHasher.Verify(admin.Password, admin.PasswordHash));
        Assert.False(BcryptHasher.Verify(admin.Password + "x", admin.PasswordHash));

        using var ca = X509Certificate2.CreateFromPem(mainpc.CaCertificatesPem);
        foreach (var (stack, settings, address) in new[] { ("mainpc", mainpc, "127.0.0.2"), ("pc2", pc2, "127.0.0.3") })
        {
            Assert.Equal([stack], settings.Certificates.Keys);
            var pem = settings.Certificates[stack];
            using var leaf = X509Certificate2.CreateFromPem(pem.CertificatePem, pem.KeyPem);
            Assert.True(leaf.HasPrivateKey);
            var names = SubjectNames.Of(leaf);
            Assert.Equal([address], names.Addresses);
            Assert.Equal([stack], names.DnsNames);
            var wanted = LeafSpec.For(stack, CertificateUsage.ServerAndClient, address, stack);
            var verdict = new RenewalPolicy().Check(leaf, wanted, ca, DateTimeOffset.UtcNow);
            Assert.False(verdict.Due, verdict.Reason);
        }
    }

    [Fact]
    public void Init_again_keeps_everything_byte_for_byte()
    {
        Init();
        var before = Directory.GetFiles(_project.Dir, "Pulumi.*.yaml").ToDictionary(f => f, File.ReadAllBytes);

        var again = Init();

        Assert.False(again.Changed);
        Assert.False(again.CaCreated);
        Assert.Empty(again.RolesCreated);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_stack_file_without_material_gets_the_pair_CA_and_credentials_from_the_other()
    {
        Init();
        var ca = Read("mainpc").Security!.CaCertificatesPem;
        var users = Read("mainpc").Security!.Users;
        Edit("pc2", e =>
        {
            foreach (var key in SecurityKeys.ForStack("pc2")) e.Remove($"resilience:{key}");
        });
        Assert.Null(Read("pc2").Security);

        var result = Init();

        Assert.False(result.CaCreated);
        Assert.Equal(SecurityKeys.ForStack("pc2").Order(), result.Stacks.Single(s => s.Stack == "pc2").Written.Order());
        Assert.Empty(result.Stacks.Single(s => s.Stack == "mainpc").Written);
        Assert.Equal(ca, Read("pc2").Security!.CaCertificatesPem);
        Assert.Equal(users, Read("pc2").Security!.Users);
    }

    [Fact]
    public void Part_of_the_material_is_an_error_naming_the_stack_file_and_the_missing_key()
    {
        Init();
        Edit("pc2", e => e.Remove("resilience:tlsPc2Key"));

        var e = Assert.Throws<ConfigException>(() => Read("pc2"));

        Assert.Equal(_project.PathOf("Pulumi.pc2.yaml"), e.File);
        Assert.Equal("resilience:tlsPc2Key", e.Where);
        Assert.Contains("security init --stack pc2", e.Problem);
        Assert.NotNull(Read("mainpc").Security); // the other stack is whole
    }

    [Fact]
    public void A_value_that_is_not_a_PEM_certificate_is_an_error_naming_its_key()
    {
        Init();
        Edit("mainpc", e => e.Set("resilience:tlsMainpcCertificate", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));

        var e = Assert.Throws<ConfigException>(() => Read("mainpc"));

        Assert.EndsWith("resilience:tlsMainpcCertificate", e.Where);
        Assert.Contains("not a PEM certificate", e.Problem);
    }

    [Fact]
    public void A_key_of_another_certificate_is_an_error_naming_the_key()
    {
        Init();
        using var other = CertificateAuthority.Create("another", DateTimeOffset.UtcNow);
        var secrets = StackSecrets.Open(_project.PathOf("Pulumi.pc2.yaml"), StackFileEditor.Load(_project.PathOf("Pulumi.pc2.yaml")).EncryptionSalt, getVariable: Env);
        Edit("pc2", e => e.SetSecret("resilience:tlsPc2Key", other.ToPem().PrivateKey, secrets));

        var e = Assert.Throws<ConfigException>(() => Read("pc2"));

        Assert.EndsWith("resilience:tlsPc2Key", e.Where);
        Assert.Contains("not a PEM private key matching tlsPc2Certificate", e.Problem);
        Assert.DoesNotContain("PRIVATE KEY", e.Message);
    }

    [Fact]
    public void Credentials_missing_a_role_are_an_error_and_init_adds_the_role_keeping_the_others()
    {
        Init();
        var users = Read("mainpc").Security!.Users;
        var partial = new SecurityCredentials(users.Where(u => u.Key != SecurityRoles.Pusher).ToDictionary(), new Dictionary<string, UserCredential>());
        foreach (var stack in new[] { "mainpc", "pc2", "witness" })
        {
            var file = _project.PathOf($"Pulumi.{stack}.yaml");
            var secrets = StackSecrets.Open(file, StackFileEditor.Load(file).EncryptionSalt, getVariable: Env);
            Edit(stack, e => e.SetSecret("resilience:securityCredentials", partial.ToJson(), secrets));
        }

        var e = Assert.Throws<ConfigException>(() => Read("mainpc"));
        Assert.EndsWith("resilience:securityCredentials", e.Where);
        Assert.Contains("pusher", e.Problem);

        var result = Init();
        Assert.Equal([SecurityRoles.Pusher], result.RolesCreated);
        var now = Read("pc2").Security!.Users;
        Assert.Equal(users[SecurityRoles.Hub], now[SecurityRoles.Hub]);
        Assert.NotEqual(users[SecurityRoles.Pusher], now[SecurityRoles.Pusher]);
    }

    [Fact]
    public void A_plain_value_where_a_secret_belongs_is_refused()
    {
        Init();
        Edit("mainpc", e => e.Set("resilience:tlsCaKey", "-----BEGIN PRIVATE KEY-----"));

        var e = Assert.Throws<ConfigException>(() => Read("mainpc"));

        Assert.EndsWith("resilience:tlsCaKey", e.Where);
        Assert.Contains("must be a secret", e.Problem);
    }

    [Fact]
    public void Two_different_CAs_in_the_pair_are_refused_naming_the_file()
    {
        Init();
        using var other = CertificateAuthority.Create("another", DateTimeOffset.UtcNow);
        Edit("pc2", e => e.Set("resilience:tlsCaCertificate", other.ToPem().Certificate));

        var e = Assert.Throws<ConfigException>(() => Init());

        Assert.Contains("holds another CA than Pulumi.mainpc.yaml", e.Problem);
        Assert.Equal(_project.PathOf("Pulumi.pc2.yaml"), e.File);
    }

    [Fact]
    public void The_certificate_carries_the_address_the_stack_file_gives_its_machine()
    {
        _project.Append("Pulumi.pc2.yaml", "  resilience:pc2Address: 10.0.0.7\n");

        Init();

        var pem = Read("pc2").Security!.Certificates["pc2"].CertificatePem;
        using var leaf = X509Certificate2.CreateFromPem(pem);
        Assert.True(SubjectNames.Of(leaf).Covers(IPAddress.Parse("10.0.0.7")));
    }

    [Fact]
    public void A_rollback_to_a_version_before_the_material_keeps_the_material_and_restores_the_rest()
    {
        var before = Resilience.Operations.Rollback.ConfigSnapshot.Of(StackConfig.Load(_project.Dir, "pc2"));
        Init();
        _project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");

        var edits = Resilience.Operations.Rollback.StackFileSync.Edits(StackConfig.Load(_project.Dir, "pc2"), before, "version 1");

        Assert.Equal(["resilience:rolloutWeek: 1"], edits.Select(e => e.Shown));
    }

    public void Dispose() => _project.Dispose();
}

using System.Text.Json.Nodes;
using Resilience.Operations.Rollback;
using Resilience.Stack.Config;

namespace Resilience.Tests.Operations;

/// <summary>A rollback writes the restored version's config back into the stack file: only differing keys' lines change.</summary>
public sealed class StackFileSyncTests
{
    private const string Ciphertext = "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==";

    [Fact]
    public void The_stack_file_gets_the_versions_values_back_with_its_comments_and_other_lines_untouched()
    {
        using var project = new TempProject();
        var version1 = ConfigSnapshot.Of(StackConfig.Load(project.Dir, "pc2"));
        project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "# moved on after the pilots\n  resilience:rolloutWeek: 2");
        project.Replace("Pulumi.pc2.yaml", "resilience:migrationBatches: 3", "resilience:migrationBatches: 1 # one batch first");
        var edited = File.ReadAllText(project.PathOf("Pulumi.pc2.yaml"));

        var edits = StackFileSync.Edits(StackConfig.Load(project.Dir, "pc2"), version1, "version 1");
        StackFileSync.Apply(project.PathOf("Pulumi.pc2.yaml"), edits);

        Assert.Equal(["resilience:migrationBatches: 3", "resilience:rolloutWeek: 1"], edits.Select(e => e.Shown));
        var expected = edited.Replace("resilience:rolloutWeek: 2", "resilience:rolloutWeek: 1", StringComparison.Ordinal)
            .Replace("resilience:migrationBatches: 1 #", "resilience:migrationBatches: 3 #", StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllText(project.PathOf("Pulumi.pc2.yaml")));
        Assert.True(JsonNode.DeepEquals(version1, ConfigSnapshot.Of(StackConfig.Load(project.Dir, "pc2"))));
        Assert.Empty(StackFileSync.Edits(StackConfig.Load(project.Dir, "pc2"), version1, "version 1"));
    }

    [Fact]
    public void A_secure_value_goes_back_as_its_ciphertext_and_a_key_the_version_lacked_is_removed()
    {
        using var project = new TempProject();
        var recorded = ConfigSnapshot.Of(StackConfig.Load(project.Dir, "pc2"));
        recorded["resilience:natsPassword"] = new JsonObject { ["secure"] = Ciphertext };
        recorded.Remove("resilience:agentRestartCommand");

        var edits = StackFileSync.Edits(StackConfig.Load(project.Dir, "pc2"), recorded, "version 4");
        StackFileSync.Apply(project.PathOf("Pulumi.pc2.yaml"), edits);

        Assert.Contains("resilience:natsPassword: [secret]", edits.Select(e => e.Shown));
        var text = File.ReadAllText(project.PathOf("Pulumi.pc2.yaml"));
        Assert.Contains($"  resilience:natsPassword:\n    secure: {Ciphertext}\n", text);
        Assert.DoesNotContain("resilience:agentRestartCommand", text);
        Assert.Equal(Ciphertext, StackConfig.Load(project.Dir, "pc2").Find("natsPassword")!.Ciphertext);
    }

    [Fact]
    public void A_key_pulumi_yaml_no_longer_declares_is_refused_by_name()
    {
        using var project = new TempProject();
        var recorded = ConfigSnapshot.Of(StackConfig.Load(project.Dir, "pc2"));
        recorded["resilience:edgeHubRetired"] = "yes";

        var e = Assert.Throws<RollbackRefusedException>(() => StackFileSync.Edits(StackConfig.Load(project.Dir, "pc2"), recorded, "version 2"));

        Assert.Contains("version 2 set resilience:edgeHubRetired, which Pulumi.yaml no longer declares", e.Message);
    }
}

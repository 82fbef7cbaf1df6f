namespace Resilience.IntegrationTests.Engine;

/// <summary>What an operator sees when a stack's checkpoint is damaged, and the way back, through the real CLI.</summary>
public sealed class DamagedStateCliTests
{
    [Fact]
    public void A_truncated_checkpoint_is_one_error_line_with_a_way_out_and_stack_import_restores_a_saved_export()
    {
        using var p = new TempProject().KeepListenersOpen();
        var export = p.PathOf("pc2-state.json");
        var exported = CliRunner.Run(p.Dir, "stack", "export", "--stack", "pc2", "--file", export);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(export));

        var checkpoint = p.PathOf(".resilience/pc2/checkpoint.json");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        File.WriteAllText(checkpoint, "{\n  \"format\": 1,\n  \"stack\": \"pc2\",\n  \"resou");
        foreach (var command in new[] { new[] { "preview", "--stack", "pc2" }, ["up", "--stack", "pc2", "--yes"], ["refresh", "--stack", "pc2"] })
        {
            var broken = CliRunner.Run(p.Dir, command);
            Assert.True(broken.ExitCode == 2, broken.ToString());
            Assert.StartsWith("error: .resilience/pc2/checkpoint.json: is not a readable state file", broken.Stderr);
            Assert.Contains("stack import --stack pc2", broken.Stderr);
            Assert.DoesNotContain("   at ", broken.Stderr);
            Assert.DoesNotContain("Exception", broken.Stderr);
        }

        var imported = CliRunner.Run(p.Dir, "stack", "import", "--stack", "pc2", "--file", export);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var preview = CliRunner.Run(p.Dir, "preview", "--stack", "pc2");
        Assert.True(preview.ExitCode == 0, preview.ToString());
    }
}

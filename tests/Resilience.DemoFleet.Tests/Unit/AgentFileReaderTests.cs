using Resilience.DemoFleet.Agents;

namespace Resilience.DemoFleet.Tests.Unit;

public sealed class AgentFileReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void A_rendered_agent_file_gives_its_push_target_and_content_hash()
    {
        var path = _dir.Write("a.yaml", "agent: A\nmachine: pc2\npush_target: \"http://127.0.0.3:9095/metrics/job/A\"\nhub_endpoints:\n  primary: x\n");
        var other = _dir.Write("b.yaml", "agent: A\nmachine: pc2\npush_target: \"http://127.0.0.3:9095/metrics/job/A\"\nhub_endpoints:\n  primary: y\n");

        var file = AgentFileReader.Read(path, "A")!;

        Assert.Equal(new Uri("http://127.0.0.3:9095/metrics/job/A"), file.PushTarget);
        Assert.Matches("^[0-9a-f]{64}$", file.Sha256);
        Assert.NotEqual(file.Sha256, AgentFileReader.Read(other, "A")!.Sha256);
    }

    [Fact]
    public void No_path_or_no_file_is_a_phase_1_agent()
    {
        Assert.Null(AgentFileReader.Read(null, "A"));
        Assert.Null(AgentFileReader.Read(Path.Combine(_dir.Path, "absent.yaml"), "A"));
    }

    [Theory]
    [InlineData("agent: A\nmachine: pc2\n", "push_target: is required")]
    [InlineData("agent: A\npush_target: 127.0.0.3:9095\n", "push_target: '127.0.0.3:9095' is not an absolute http(s) URL")]
    [InlineData("agent: B\npush_target: http://x/metrics/job/B\n", "agent: 'B' but this file is given to agent 'A'")]
    [InlineData("agent: [A\n", "line 2:")]
    [InlineData("- just a list\n", "the file is empty or not a mapping")]
    public void An_unusable_file_is_an_error_naming_the_file_and_key(string text, string problem)
    {
        var path = _dir.Write("a.yaml", text);

        var e = Assert.Throws<AgentFileException>(() => AgentFileReader.Read(path, "A"));

        Assert.StartsWith($"{path}: {problem}", e.Message);
    }

    public void Dispose() => _dir.Dispose();
}

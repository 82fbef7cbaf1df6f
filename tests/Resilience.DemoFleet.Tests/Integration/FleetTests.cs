using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace Resilience.DemoFleet.Tests.Integration;

/// <summary>The fleet against a real Pushgateway as push target: what a rollout and its gates will rely on.</summary>
[Trait("Category", "Integration")]
public sealed class FleetTests(Pushgateway pushgateway) : IClassFixture<Pushgateway>
{
    private static readonly TimeSpan Period = FleetUnderTest.Period;

    private Task<FleetUnderTest> StartAsync(string prefix, bool thirdHasFile = false)
    {
        string[] agents = [$"{prefix}1", $"{prefix}2", $"{prefix}3"];
        return FleetUnderTest.StartAsync(pushgateway, agents, thirdHasFile ? agents : agents[..2]);
    }

    [Fact]
    public async Task Pushes_reach_the_pushgateway_with_the_sample_counter_rising_and_none_failing()
    {
        await using var fleet = await StartAsync("Push");
        await Wait.UntilAsync(async () => await pushgateway.ValueAsync("demo_agent_samples_total", "Push1") is not null, TimeSpan.FromSeconds(5), "a first push");

        var seen = new List<double>();
        var until = DateTime.UtcNow + Period * 8;
        while (DateTime.UtcNow < until)
        {
            seen.Add((await pushgateway.ValueAsync("demo_agent_samples_total", "Push1"))!.Value);
            await Task.Delay(Period / 3);
        }

        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", seen));
        Assert.True(seen[^1] >= seen[0] + 5, string.Join(", ", seen));
        Assert.Equal(1, await pushgateway.ValueAsync("demo_agent_up", "Push2"));
        Assert.Equal(1, await pushgateway.ValueAsync("demo_agent_config_generation", "Push2"));
        Assert.NotNull(await pushgateway.ValueAsync("demo_agent_push_duration_seconds_count", "Push2"));
        var state = await fleet.StateAsync("Push1");
        Assert.Equal(0, state.GetProperty("pushesFailed").GetInt64());
        Assert.True(state.GetProperty("pushesOk").GetInt64() >= (long)seen[^1]);
        var fleetMetrics = await fleet.Http.GetStringAsync(new Uri(fleet.Control, "/metrics"));
        Assert.Contains("demo_fleet_pushes_total{agent=\"Push1\",result=\"failed\"} 0", fleetMetrics);
        Assert.Contains("demo_fleet_agents{mode=\"running\"} 3", fleetMetrics);
    }

    [Fact]
    public async Task An_agent_without_a_file_is_scraped_but_pushes_nothing_until_a_file_appears_and_it_restarts()
    {
        await using var fleet = await StartAsync("Phase");
        await Wait.UntilAsync(async () => await pushgateway.ValueAsync("demo_agent_samples_total", "Phase1") is not null, TimeSpan.FromSeconds(5), "a first push");
        await Task.Delay(Period * 4);

        Assert.Null(await pushgateway.ValueAsync("demo_agent_samples_total", "Phase3"));
        var state = await fleet.StateAsync("Phase3");
        Assert.Equal(1, state.GetProperty("phase").GetInt32());
        Assert.Equal(0, state.GetProperty("pushesOk").GetInt64() + state.GetProperty("pushesFailed").GetInt64());
        Assert.Contains("phase=\"1\"", await fleet.Http.GetStringAsync(fleet.Agent("Phase3", "/metrics")));
        Assert.Equal("ok\n", await fleet.Http.GetStringAsync(fleet.Agent("Phase3")));

        // Migrated: the stacks write its file, the rollout restarts it.
        FleetUnderTest.WriteAgentFile(fleet.Dir, "Phase3", pushgateway.PushTarget("Phase3"), "week 1");
        using var restart = await fleet.PostAsync("/agents/Phase3/restart");

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        Assert.Equal(2, await pushgateway.ValueAsync("demo_agent_config_generation", "Phase3"));
        Assert.Equal(1, await pushgateway.ValueAsync("demo_agent_config_info", "Phase3", "phase=\"2\""));
    }

    [Fact]
    public async Task A_failed_agent_answers_503_and_stops_pushing_until_it_recovers()
    {
        await using var fleet = await StartAsync("Fail");
        await Wait.UntilAsync(async () => await pushgateway.ValueAsync("demo_agent_samples_total", "Fail1") is not null, TimeSpan.FromSeconds(5), "a first push");

        using var failed = await fleet.PostAsync("/agents/Fail1/fail");
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        await Task.Delay(Period * 2); // a push already under way may still land
        var pushedBefore = await pushgateway.ValueAsync("push_time_seconds", "Fail1");
        var okBefore = (await fleet.StateAsync("Fail1")).GetProperty("pushesOk").GetInt64();
        await Task.Delay(Period * 5);

        using var health = await fleet.Http.GetAsync(fleet.Agent("Fail1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(pushedBefore, await pushgateway.ValueAsync("push_time_seconds", "Fail1"));
        Assert.Equal(okBefore, (await fleet.StateAsync("Fail1")).GetProperty("pushesOk").GetInt64());
        Assert.Equal("failed", (await fleet.StateAsync("Fail1")).GetProperty("mode").GetString());
        Assert.Contains("demo_agent_up{agent=\"Fail1\"} 0", await fleet.Http.GetStringAsync(fleet.Agent("Fail1", "/metrics")));
        Assert.Single(fleet.Log, l => l.Contains("agent Fail1: running -> failed"));
        // The others go on.
        using var other = await fleet.Http.GetAsync(fleet.Agent("Fail2"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        using var recovered = await fleet.PostAsync("/agents/Fail1/recover");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        using var healthAgain = await fleet.Http.GetAsync(fleet.Agent("Fail1"));
        Assert.Equal(HttpStatusCode.OK, healthAgain.StatusCode);
        await Wait.UntilAsync(async () => await pushgateway.ValueAsync("push_time_seconds", "Fail1") != pushedBefore, Period * 5, "pushes to resume");
    }

    [Fact]
    public async Task A_hung_agent_makes_a_client_with_a_1_s_timeout_time_out()
    {
        await using var fleet = await StartAsync("Hang");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        using var before = await client.GetAsync(fleet.Agent("Hang1"));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var hung = await fleet.PostAsync("/agents/Hang1/hang");
        Assert.Equal(HttpStatusCode.OK, hung.StatusCode);
        var started = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync(fleet.Agent("Hang1")));
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(0.9), started.Elapsed.ToString());
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync(fleet.Agent("Hang1", "/metrics")));
        Assert.Equal("hung", (await fleet.StateAsync("Hang1")).GetProperty("mode").GetString());

        // A request left waiting is answered once the agent recovers.
        var waiting = fleet.Http.GetAsync(fleet.Agent("Hang1"));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        using var recovered = await fleet.PostAsync("/agents/Hang1/recover");
        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task A_slow_agent_answers_after_its_delay_and_keeps_pushing()
    {
        await using var fleet = await StartAsync("Slow");
        await TimeAsync(fleet, "Slow1"); // the first request pays for the connection and the JIT, not the agent
        var fast = await TimeAsync(fleet, "Slow1");
        Assert.True(fast < TimeSpan.FromMilliseconds(300), fast.ToString());

        using var slowed = await fleet.PostAsync("/agents/Slow1/slow?delayMs=700");
        Assert.Equal(HttpStatusCode.OK, slowed.StatusCode);
        var slow = await TimeAsync(fleet, "Slow1");
        var okWhileSlow = (await fleet.StateAsync("Slow1")).GetProperty("pushesOk").GetInt64();
        await Wait.UntilAsync(async () => (await fleet.StateAsync("Slow1")).GetProperty("pushesOk").GetInt64() > okWhileSlow, Period * 5, "a push while slow");

        Assert.InRange(slow, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(1500));
        using var bad = await fleet.PostAsync("/agents/Slow1/slow");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var recovered = await fleet.PostAsync("/agents/Slow1/recover");
        Assert.True(await TimeAsync(fleet, "Slow1") < TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_restart_after_the_agent_file_changed_runs_on_the_new_file_and_an_unusable_file_fails_the_restart()
    {
        await using var fleet = await StartAsync("Restart");
        await Wait.UntilAsync(async () => await pushgateway.ValueAsync("demo_agent_samples_total", "Restart1") is not null, TimeSpan.FromSeconds(5), "a first push");
        var oldSha = (await fleet.StateAsync("Restart1")).GetProperty("configSha256").GetString();
        Assert.Equal(1, await pushgateway.ValueAsync("demo_agent_config_info", "Restart1", $"config_sha256=\"{oldSha}\""));

        var path = FleetUnderTest.WriteAgentFile(fleet.Dir, "Restart1", pushgateway.PushTarget("Restart1"), "week 2");
        var newSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.NotEqual(oldSha, newSha);
        // Until it is restarted, the agent runs on the file it read at start.
        Assert.Equal(oldSha, (await fleet.StateAsync("Restart1")).GetProperty("configSha256").GetString());

        using var restart = await fleet.PostAsync("/agents/Restart1/restart");

        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        var state = await fleet.StateAsync("Restart1");
        Assert.Equal(2, state.GetProperty("configGeneration").GetInt64());
        Assert.Equal(newSha, state.GetProperty("configSha256").GetString());
        Assert.Equal("running", state.GetProperty("mode").GetString());
        // The restart answers after the first push on the new file: it is in the Pushgateway already.
        Assert.Equal(2, await pushgateway.ValueAsync("demo_agent_config_generation", "Restart1"));
        Assert.Equal(1, await pushgateway.ValueAsync("demo_agent_config_info", "Restart1", $"config_sha256=\"{newSha}\""));

        File.WriteAllText(path, "agent: Restart1\nmachine: pc2\n");
        using var broken = await fleet.PostAsync("/agents/Restart1/restart");

        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Contains($"{path}: push_target: is required", await broken.Content.ReadAsStringAsync());
        using var health = await fleet.Http.GetAsync(fleet.Agent("Restart1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("config-error", (await fleet.StateAsync("Restart1")).GetProperty("mode").GetString());
        using var refused = await fleet.PostAsync("/agents/Restart1/recover");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        // Rolled back: the old file again, restarted.
        FleetUnderTest.WriteAgentFile(fleet.Dir, "Restart1", pushgateway.PushTarget("Restart1"), "week 1");
        using var back = await fleet.PostAsync("/agents/Restart1/restart");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(oldSha, (await fleet.StateAsync("Restart1")).GetProperty("configSha256").GetString());
        Assert.Equal(3, await pushgateway.ValueAsync("demo_agent_config_generation", "Restart1"));
    }

    [Fact]
    public async Task An_unknown_agent_is_a_404_naming_it()
    {
        await using var fleet = await StartAsync("Unknown");

        using var response = await fleet.PostAsync("/agents/Nobody/restart");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no agent 'Nobody'", await response.Content.ReadAsStringAsync());
    }

    private static async Task<TimeSpan> TimeAsync(FleetUnderTest fleet, string agent)
    {
        var watch = Stopwatch.StartNew();
        using var response = await fleet.Http.GetAsync(fleet.Agent(agent));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return watch.Elapsed;
    }
}

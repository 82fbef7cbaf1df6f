namespace Resilience.Tests.Engine;

public sealed class LockTests : EngineTest
{
    private string LockPath => Harness.Backend.LockPath(StackName);

    [Fact]
    public async Task A_second_operation_is_refused_naming_the_holder()
    {
        using (StackLock.Acquire(LockPath, StackName, "up --stack test"))
        {
            var refused = await Assert.ThrowsAsync<StackLockedException>(() => Harness.Engine().UpAsync(Graph(R("a"))));
            Assert.Equal(Environment.ProcessId, refused.Holder.Pid);
            Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
            Assert.Contains(Environment.MachineName, refused.Message);
            Assert.Contains("up --stack test", refused.Message);
            Assert.Empty(Harness.World.Log);
        }
        Assert.False(File.Exists(LockPath));
        Assert.True((await Harness.Engine().UpAsync(Graph(R("a")))).Succeeded);
    }

    [Fact]
    public async Task A_lock_left_by_a_dead_process_is_taken_over_and_said_so()
    {
        var dead = CrashRecoveryTests.DeadPid();
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllBytes(LockPath, StateJson.Serialize(new LockInfo(dead, Environment.MachineName, DateTimeOffset.UtcNow.AddMinutes(-5), "up")));

        var result = await Harness.Engine().UpAsync(Graph(R("a")));

        Assert.True(result.Succeeded);
        var notice = Assert.Single(result.Notices, n => n.Contains("stale lock"));
        Assert.Contains($"pid {dead}", notice);
        Assert.False(File.Exists(LockPath));
    }

    [Fact]
    public void A_lock_from_another_host_is_never_judged_stale()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllBytes(LockPath, StateJson.Serialize(new LockInfo(CrashRecoveryTests.DeadPid(), "some-other-host", DateTimeOffset.UtcNow, "destroy")));
        var refused = Assert.Throws<StackLockedException>(() => StackLock.Acquire(LockPath, StackName, "up"));
        Assert.Contains("some-other-host", refused.Message);
        Assert.Contains("delete", refused.Message);
    }

    [Fact]
    public async Task Of_many_simultaneous_acquirers_exactly_one_wins()
    {
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            try
            {
                return (StackLock?)StackLock.Acquire(LockPath, StackName, "up");
            }
            catch (StackLockedException)
            {
                return null;
            }
        })).ToList();
        start.Set();
        var locks = await Task.WhenAll(attempts);

        var winner = Assert.Single(locks, l => l is not null);
        Assert.Equal(winner!.Info, StackLock.TryRead(LockPath));
        winner.Dispose();
        Assert.False(File.Exists(LockPath));
    }
}

using System.Diagnostics;
using Akka.Actor;

namespace Sched.Scheduler.Tests.Hosting;

/// <summary>Tests with real actor systems on loopback: each one a test starts is terminated when the test ends.</summary>
public abstract class LoopbackActorSystems : IAsyncLifetime
{
    protected List<ActorSystem> Systems { get; } = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var system in Systems)
        {
            await system.Terminate();
        }
    }

    protected ActorSystem Track(ActorSystem system)
    {
        Systems.Add(system);
        return system;
    }

    /// <summary>Waits for a cluster to get somewhere: 30 s at most, then fails saying what did not happen.</summary>
    protected static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{what}: not within 30 s");
            await Task.Delay(100);
        }
    }
}

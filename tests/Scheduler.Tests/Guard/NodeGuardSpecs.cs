using Sched.Contracts;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Guard;
using Sched.Tests.Fakes;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Sched.Scheduler.Tests.Guard;

/// <summary>`sched guard` over an in-memory engine: what it stops, when, and that it keeps trying.</summary>
public sealed class NodeGuardSpecs : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-guard-").FullName;
    private readonly FakeRuntime _runtime = new() { Hold = true };
    private readonly Events _events = new();
    private readonly CancellationTokenSource _stop = new();

    private FenceLease Lease => FenceLease.InDataDir(_dir);

    [Fact]
    public async Task Once_the_lease_has_run_out_every_running_managed_container_is_stopped_and_nothing_else()
    {
        var shard1 = _runtime.AddForeign("sched-job-1-1-1", Managed("1"));
        var shard2 = _runtime.AddForeign("sched-job-1-2-1", Managed("2"));
        var owners = _runtime.AddForeign("owners-database", new Dictionary<string, string>());
        Lease.RenewUntil(DateTime.UtcNow.AddSeconds(-1));

        var guard = Start();
        await Until(() => shard1.Exit.Task.IsCompleted && shard2.Exit.Task.IsCompleted, "both shards stopped");
        await StopGuard(guard);

        Assert.False(owners.Exit.Task.IsCompleted, "the guard stopped a container sched does not manage");
        Assert.Equal(2, _events.Containing("guard stopped").Count);
    }

    [Fact]
    public async Task While_the_agent_renews_the_lease_the_guard_stops_nothing()
    {
        var shard = _runtime.AddForeign("sched-job-1-1-1", Managed("1"));
        Lease.RenewUntil(DateTime.UtcNow.AddHours(1));

        var guard = Start();
        await Task.Delay(LeaseCheck.LookEvery * 4);
        await StopGuard(guard);

        Assert.False(shard.Exit.Task.IsCompleted, "the guard stopped a container while the lease held");
        Assert.Empty(_events.Containing("guard stopped"));
    }

    [Fact]
    public async Task A_guard_that_cannot_reach_podman_says_so_and_retries_until_the_containers_are_stopped()
    {
        var shard = _runtime.AddForeign("sched-job-1-1-1", Managed("1"));
        _runtime.Down = new Sched.NodeActor.Runtime.ContainerRuntimeException("podman socket /run/podman/podman.sock does not answer");
        var guard = Start();

        await Until(() => _events.Containing("could not stop").Count >= 2, "two failed attempts reported");
        Assert.False(shard.Exit.Task.IsCompleted);
        _runtime.Down = null;
        await Until(() => shard.Exit.Task.IsCompleted, "the shard stopped once podman answers");
        await StopGuard(guard);

        Assert.Contains("podman socket", _events.Containing("could not stop")[0], StringComparison.Ordinal);
        Assert.Single(_events.Containing("containers are stopped after"));
    }

    public void Dispose()
    {
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Task Start() =>
        Task.Run(() => new NodeGuard(Lease, _runtime, new LoggerConfiguration().WriteTo.Sink(_events).CreateLogger(), TimeProvider.System).RunAsync(_stop.Token));

    private async Task StopGuard(Task guard)
    {
        await _stop.CancelAsync();
        await guard;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"not within {Patience}: {what}");
            await Task.Delay(50);
        }
    }

    private static Dictionary<string, string> Managed(string shard) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Job] = "job-1",
        [ContainerLabels.Shard] = shard,
        [ContainerLabels.Attempt] = "1",
    };

    private sealed class Events : ILogEventSink
    {
        private readonly List<string> _lines = [];

        public void Emit(LogEvent logEvent)
        {
            lock (_lines)
            {
                _lines.Add(logEvent.RenderMessage());
            }
        }

        public IReadOnlyList<string> Containing(string text)
        {
            lock (_lines)
            {
                return [.. _lines.Where(l => l.Contains(text, StringComparison.Ordinal))];
            }
        }
    }
}

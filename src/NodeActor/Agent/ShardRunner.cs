using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Runs one shard attempt: create, start, wait, report. Engine calls run as tasks whose results
/// come back as messages, so the runner's fields are only touched by the runner itself.
/// </summary>
public sealed class ShardRunner : ReceiveActor, IDisposable
{
    private readonly IContainerRuntime _runtime;
    private readonly RunShard _shard;
    private readonly IActorRef _scheduler;
    private readonly string _node;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _cancel = new();
    private string? _containerId;
    private bool _stopRequested;

    public ShardRunner(IContainerRuntime runtime, RunShard shard, IActorRef scheduler, string node, ILogger log)
    {
        _runtime = runtime;
        _shard = shard;
        _scheduler = scheduler;
        _node = node;
        _log = log.ForContext("Job", shard.Id.JobId).ForContext("Shard", shard.Id.Shard);
        Receive<Created>(OnCreated);
        Receive<Started>(_ => OnStarted());
        Receive<Exited>(OnExited);
        Receive<Failed>(OnFailed);
        Receive<StopShard>(_ => OnStop());
        Receive<Removed>(_ => Context.Stop(Self));
    }

    public static Props Props(IContainerRuntime runtime, RunShard shard, IActorRef scheduler, string node, ILogger log) =>
        Akka.Actor.Props.Create(() => new ShardRunner(runtime, shard, scheduler, node, log));

    protected override void PreStart()
    {
        var spec = new ContainerSpec(
            _shard.Id.ContainerName, _shard.Image, _shard.Command, _shard.Env, _shard.Labels,
            _shard.MemoryBytes, _shard.MilliCpus * 1_000_000L);
        _runtime.CreateAsync(spec, _cancel.Token)
            .PipeTo(Self, success: id => new Created(id), failure: ex => new Failed("create", ex));
    }

    protected override void PostStop() => _cancel.Cancel();

    /// <summary>Akka disposes an actor after it stops.</summary>
    public void Dispose() => _cancel.Dispose();

    private void OnCreated(Created created)
    {
        _containerId = created.ContainerId;
        if (_stopRequested)
        {
            RemoveContainer();
            return;
        }

        _runtime.StartAsync(created.ContainerId, _cancel.Token)
            .PipeTo(Self, success: () => Started.Instance, failure: ex => new Failed("start", ex));
    }

    private void OnStarted()
    {
        _log.Information("started {Container} for {Attempt} on {Node}", _shard.Id.ContainerName, _shard.Id, _node);
        _scheduler.Tell(new ShardStarted(_shard.Id, _node, _containerId!));
        _runtime.WaitAsync(_containerId!, _cancel.Token)
            .PipeTo(Self, success: exit => new Exited(exit), failure: ex => new Failed("wait", ex));
    }

    private void OnExited(Exited exited)
    {
        if (_stopRequested)
        {
            return;
        }

        // podman 4 on cgroup v1 never sets OOMKilled: a 137 that sched did not cause is the memory cgroup's kill.
        var oomKilled = exited.Exit.OomKilled || exited.Exit.ExitCode == 137;
        _log.Information("{Attempt} exited with code {ExitCode}{Oom}", _shard.Id, exited.Exit.ExitCode, oomKilled ? " (oom-killed)" : "");
        _scheduler.Tell(new ShardExited(_shard.Id, _node, exited.Exit.ExitCode, oomKilled));
        Context.Stop(Self);
    }

    private void OnFailed(Failed failed)
    {
        if (_stopRequested)
        {
            Context.Stop(Self);
            return;
        }

        var reason = $"{failed.Step} failed: {failed.Error.GetBaseException().Message}";
        _log.Warning("{Attempt} could not run on {Node}: {Reason}", _shard.Id, _node, reason);
        _scheduler.Tell(new ShardStartFailed(_shard.Id, _node, reason));
        if (_containerId is not null)
        {
            RemoveContainer();
        }
        else
        {
            Context.Stop(Self);
        }
    }

    private void OnStop()
    {
        _stopRequested = true;
        if (_containerId is not null)
        {
            RemoveContainer();
        }
    }

    private void RemoveContainer() =>
        _runtime.RemoveAsync(_containerId!, CancellationToken.None)
            .PipeTo(Self, success: () => Removed.Instance, failure: _ => Removed.Instance);

    private sealed record Created(string ContainerId);

    private sealed record Started
    {
        public static readonly Started Instance = new();
    }

    private sealed record Exited(ContainerExit Exit);

    private sealed record Failed(string Step, Exception Error);

    private sealed record Removed
    {
        public static readonly Removed Instance = new();
    }
}

using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;
using Serilog;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Runs one shard attempt: create, start, wait, report. Engine calls run as tasks whose results
/// come back as messages, so the runner's fields are only touched by the runner itself.
/// </summary>
public sealed class ShardRunner : ReceiveActor, IDisposable, IWithTimers
{
    private readonly IContainerRuntime _runtime;
    private readonly ShardAttemptId _id;
    private readonly RunShard? _launch;
    private readonly IActorRef _scheduler;
    private readonly string _node;
    private readonly ILogger _log;
    private readonly ShardHost _host;
    private readonly CancellationTokenSource _cancel = new();
    private System.Collections.Immutable.ImmutableSortedDictionary<string, int>? _ports;
    private string? _containerId;
    private bool _stopRequested;
    private bool _timedOut;

    private static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(10);

    public ShardRunner(
        IContainerRuntime runtime, ShardAttemptId id, RunShard? launch, string? adoptedContainerId, IActorRef scheduler, string node, ILogger log,
        ShardHost? host = null)
    {
        _host = host ?? ShardHost.Default;
        _runtime = runtime;
        _id = id;
        _launch = launch;
        _containerId = adoptedContainerId;
        _scheduler = scheduler;
        _node = node;
        _log = log.ForContext("Job", id.JobId).ForContext("Shard", id.Shard);
        Receive<Looked>(OnLooked);
        Receive<Created>(OnCreated);
        Receive<Started>(_ => OnStarted());
        Receive<Exited>(OnExited);
        Receive<Failed>(OnFailed);
        Receive<StopShard>(_ => OnStop());
        Receive<Fence>(OnFence);
        Receive<Removed>(_ => Context.Stop(Self));
        Receive<WaitAgain>(_ => Wait());
        Receive<TimeUp>(_ => OnTimeUp());
        Receive<Stopped>(_ => { });
        Receive<StopFailed>(failed =>
        {
            _log.Warning("{Attempt}: stopping it after its timeout failed ({Reason}); trying again in 2 s", _id, failed.Error.Message);
            Timers.StartSingleTimer("timeout", TimeUp.Instance, TimeSpan.FromSeconds(2));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A runner that creates and starts the attempt's container.</summary>
    public static Props Launch(
        IContainerRuntime runtime, RunShard shard, IActorRef scheduler, string node, ILogger log, ShardHost? host = null) =>
        Props.Create(() => new ShardRunner(runtime, shard.Id, shard, null, scheduler, node, log, host));

    /// <summary>A runner that takes over a container already running (after an agent restart) and waits for it.</summary>
    public static Props Adopt(IContainerRuntime runtime, ShardAttemptId id, string containerId, IActorRef scheduler, string node, ILogger log) =>
        Props.Create(() => new ShardRunner(runtime, id, null, containerId, scheduler, node, log));

    protected override void PreStart()
    {
        if (_launch is null)
        {
            _log.Information("adopted running container {Container} of {Attempt}", _id.ContainerName, _id);
            Self.Tell(Started.Instance);
            return;
        }

        _runtime.InspectManagedAsync(_id.ContainerName, _cancel.Token)
            .PipeTo(Self, success: existing => new Looked(existing), failure: ex => new Failed("create", ex));
    }

    /// <summary>
    /// The attempt's container may exist already: an agent before this one created it (and perhaps started it) and
    /// then stopped. One attempt never gets a second container: the one there is started, waited on, or reported.
    /// </summary>
    private void OnLooked(Looked looked)
    {
        if (looked.Existing is { } existing && ContainerInventory.AttemptOf(existing.Labels) == _id)
        {
            _log.Information("{Attempt}: its container {Container} exists already ({State}); taking it over", _id, _id.ContainerName, existing.State);
            _ports = _launch!.Container is { } container ? ShardHostSetup.PortReport(container, existing.Env) : null;
            if (ContainerInventory.NeverStarted(existing.State))
            {
                Self.Tell(new Created(existing.Id));
            }
            else if (existing.Running)
            {
                _containerId = existing.Id;
                Self.Tell(Started.Instance);
            }
            else
            {
                _containerId = existing.Id;
                Self.Tell(new Exited(new ContainerExit(existing.ExitCode ?? -1, existing.OomKilled)));
            }

            return;
        }

        var options = _launch!.Container is { } given ? ShardHostSetup.WithHostPorts(given, _host.PublishAddress) : null;
        if (options is not null && ShardHostSetup.PrepareMounts(options, _host.AllowedHostPaths) is { } problem)
        {
            Self.Tell(new Failed("create", new InvalidOperationException(problem)));
            return;
        }

        _ports = options is null ? null : ShardHostSetup.PortReport(options);
        var env = options is null ? _launch.Env : _launch.Env.SetItems(ShardHostSetup.PortEnv(options));
        var spec = new ContainerSpec(
            _id.ContainerName, _launch.Image, _launch.Command, env, RunShardCheck.Labels(_launch),
            _launch.MemoryBytes, _launch.MilliCpus * 1_000_000L, Options: options, PublishAddress: _host.PublishAddress?.ToString());
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
        _log.Information("started {Container} for {Attempt} on {Node}", _id.ContainerName, _id, _node);
        _scheduler.Tell(new ShardStarted(_id, _node, _containerId!, _ports));
        if (_launch?.Timeout is { } timeout)
        {
            Timers.StartSingleTimer("timeout", TimeUp.Instance, timeout);
        }

        Wait();
    }

    private void Wait() =>
        _runtime.WaitAsync(_containerId!, _cancel.Token)
            .PipeTo(Self, success: exit => new Exited(exit), failure: ex => new Failed("wait", ex));

    private void OnExited(Exited exited)
    {
        if (_stopRequested)
        {
            return;
        }

        // podman 4 on cgroup v1 never sets OOMKilled: a 137 that sched did not cause is the memory cgroup's kill.
        var oomKilled = !_timedOut && (exited.Exit.OomKilled || exited.Exit.ExitCode == 137);
        _log.Information("{Attempt} exited with code {ExitCode}{Oom}", _id, exited.Exit.ExitCode, oomKilled ? " (oom-killed)" : _timedOut ? " (timed out)" : "");
        _scheduler.Tell(new ShardExited(_id, _node, exited.Exit.ExitCode, oomKilled, _timedOut));
        if (_timedOut)
        {
            Context.Parent.Tell(new TimedOutContainer(_id, _containerId!));
        }

        Context.Stop(Self);
    }

    private void OnFailed(Failed failed)
    {
        if (_stopRequested)
        {
            Context.Stop(Self);
            return;
        }

        if (failed.Step == "wait")
        {
            // The container was started and may well still run: the engine, not the shard, failed. Reporting it
            // would run the shard elsewhere while this copy goes on, so keep waiting until the engine answers again.
            _log.Warning("{Attempt}: lost sight of its container ({Reason}); waiting on it again in 2 s", _id, failed.Error.GetBaseException().Message);
            Timers.StartSingleTimer("wait-again", WaitAgain.Instance, TimeSpan.FromSeconds(2));
            return;
        }

        var (reason, permanent) = StartFailure(failed);
        _log.Warning("{Attempt} could not run on {Node}: {Reason}", _id, _node, reason);
        _scheduler.Tell(new ShardStartFailed(_id, _node, reason, permanent));
        if (_containerId is not null)
        {
            RemoveContainer();
        }
        else
        {
            Context.Stop(Self);
        }
    }

    /// <summary>The agent stops every container itself when fencing; the runner only reports and gives up.</summary>
    private void OnFence(Fence fence)
    {
        if (!_stopRequested)
        {
            _scheduler.Tell(new ShardFenced(_id, _node, fence.Reason));
        }

        _stopRequested = true;
        Context.Stop(Self);
    }

    private void OnStop()
    {
        _stopRequested = true;
        if (_containerId is not null)
        {
            RemoveContainer();
        }
    }

    /// <summary>The engine's words as sched wrote them (never Docker.DotNet's dump of the response), and whether any attempt could do better.</summary>
    private (string Reason, bool Permanent) StartFailure(Failed failed)
    {
        var runtime = RuntimeErrorIn(failed.Error);
        return runtime switch
        {
            { Failure: ContainerRuntimeFailure.CommandNotRunnable } => ($"{runtime.Message} in image {_launch?.Image}", true),
            not null => (runtime.Message, false),
            _ => ($"{failed.Step} failed: {failed.Error.GetBaseException().Message}", false),
        };
    }

    private static ContainerRuntimeException? RuntimeErrorIn(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is ContainerRuntimeException runtime)
            {
                return runtime;
            }
        }

        return null;
    }

    /// <summary>
    /// The attempt ran past the job's timeout: its container is stopped (stop signal, then its stop timeout), and the
    /// exit that the wait then sees is reported as timed out. Its node then keeps its log and removes it, so a shard
    /// that hung leaves no container behind.
    /// </summary>
    private void OnTimeUp()
    {
        if (_stopRequested || _containerId is null)
        {
            return;
        }

        _timedOut = true;
        var grace = _launch?.Container?.StopTimeout ?? DefaultStopGrace;
        _log.Information("{Attempt} ran past its timeout {Timeout}; stopping it", _id, _launch?.Timeout);
        _runtime.StopAsync(_containerId, grace, CancellationToken.None)
            .PipeTo(Self, success: () => Stopped.Instance, failure: ex => new StopFailed(ex));
    }

    private void RemoveContainer() =>
        _runtime.RemoveAsync(_containerId!, CancellationToken.None)
            .PipeTo(Self, success: () => Removed.Instance, failure: _ => Removed.Instance);

    /// <summary>Tells the node agent that this attempt's container timed out and exited: its log is archived and it is removed.</summary>
    public sealed record TimedOutContainer(ShardAttemptId Id, string ContainerId);

    private sealed record Looked(ContainerDetails? Existing);

    private sealed record Created(string ContainerId);

    private sealed record Started
    {
        public static readonly Started Instance = new();
    }

    private sealed record Exited(ContainerExit Exit);

    private sealed record TimeUp
    {
        public static readonly TimeUp Instance = new();
    }

    private sealed record StopFailed(Exception Error);

    /// <summary>The stop after a timeout went through; the wait reports the exit.</summary>
    private sealed record Stopped
    {
        public static readonly Stopped Instance = new();
    }

    private sealed record Failed(string Step, Exception Error);

    private sealed record WaitAgain
    {
        public static readonly WaitAgain Instance = new();
    }

    private sealed record Removed
    {
        public static readonly Removed Instance = new();
    }
}

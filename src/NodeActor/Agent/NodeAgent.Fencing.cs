using Akka.Actor;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Fencing inside the agent. Fenced (cut off, downed, or its lease ran out), the agent stops every managed container,
/// retrying until the engine lets it, and takes no work until it reaches a majority again and has reconciled with
/// the scheduler. It renews the node guard's lease only while it is reconciled, reaches a majority and is not
/// fenced: when it cannot vouch for its containers, the guard stops them even if this process is frozen or gone.
/// </summary>
public sealed partial class NodeAgent
{
    private static readonly TimeSpan LeaseRenewal = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestFenceRetry = TimeSpan.FromSeconds(5);
    private readonly List<IActorRef> _fenceWaiters = [];
    private string? _fencedFor;
    private bool _fenceStopped;
    private bool _fenceStopping;
    private int _fenceFailures;
    private bool _reconciled;
    private bool _majority = true;
    private bool _leaseHeld;
    private bool _leaseRenewedByThisAgent;

    /// <summary>Fenced, its containers stopped and a majority in reach: the next registration carries its containers again.</summary>
    private bool ReadyToRejoin => _fencedFor is not null && _fenceStopped && _majority;

    /// <summary>
    /// Not reconciled yet (or again): every registration carries the node's containers until a verdict comes, so an
    /// inventory that failed (the engine was down) is taken again.
    /// </summary>
    private bool AwaitsVerdict => !_reconciled && (_fencedFor is null || ReadyToRejoin);

    private void ReceiveFencing()
    {
        Receive<Fence>(OnFence);
        Receive<FenceStopped>(OnFenceStopped);
        Receive<FenceStopFailed>(OnFenceStopFailed);
        Receive<RetryFence>(_ => StopForFence());
        Receive<MajorityLost>(_ => _majority = false);
        Receive<MajorityRegained>(_ => OnMajorityRegained());
        Receive<RenewLease>(_ => RenewLeaseIfVouching());
        Receive<HoldLease>(OnHoldLease);
    }

    private void StartRenewingLease()
    {
        if (_options.Lease is not null)
        {
            Timers.StartPeriodicTimer("lease", RenewLease.Instance, LeaseRenewal);
        }
    }

    private void OnFence(Fence fence)
    {
        if (!Sender.IsNobody() && !Sender.Equals(Self) && !Sender.Equals(Context.System.DeadLetters))
        {
            _fenceWaiters.Add(Sender);
        }

        if (_fencedFor is null)
        {
            _fencedFor = fence.Reason;
            _reconciled = false;
            _log.Warning("fencing node {Node}: {Reason}; stopping every managed container", _options.NodeName, fence.Reason);
            foreach (var runner in Context.GetChildren())
            {
                runner.Tell(fence);
            }

            FenceWaitingForImages(fence.Reason);
            Register();
        }

        _fenceStopped = false;
        StopForFence();
    }

    /// <summary>Stops (not removes: their logs stay for a post-mortem) every managed container still running here.</summary>
    private void StopForFence()
    {
        if (_fenceStopping)
        {
            return;
        }

        _fenceStopping = true;
        StopAllManaged().PipeTo(Self, success: count => new FenceStopped(count), failure: e => new FenceStopFailed(e.GetBaseException().Message));
    }

    private async Task<int> StopAllManaged()
    {
        var running = (await _runtime.ListManagedAsync(CancellationToken.None)).Where(c => c.State == "running").ToList();
        await Task.WhenAll(running.Select(c => _runtime.StopAsync(c.Id, TimeSpan.Zero, CancellationToken.None)));
        return running.Count;
    }

    private void OnFenceStopped(FenceStopped stopped)
    {
        _fenceStopping = false;
        _fenceStopped = true;
        _options.FenceAttempted(true);
        _log.Warning("fenced node {Node}: stopped {Count} containers{Retries}", _options.NodeName, stopped.Containers,
            _fenceFailures > 0 ? $" after {_fenceFailures} failed attempts" : "");
        _fenceFailures = 0;
        foreach (var waiter in _fenceWaiters)
        {
            waiter.Tell(new Fenced(stopped.Containers));
        }

        _fenceWaiters.Clear();
        if (ReadyToRejoin)
        {
            Register();
        }
    }

    /// <summary>The engine did not answer: the containers may still run, so try again, sooner than the guard would give up.</summary>
    private void OnFenceStopFailed(FenceStopFailed failed)
    {
        _fenceStopping = false;
        _fenceFailures++;
        _options.FenceAttempted(false);
        var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, _fenceFailures - 1), LongestFenceRetry.TotalSeconds));
        _log.Error("fencing node {Node} failed (attempt {Attempt}): {Reason}; its containers may still run; retrying in {Delay}",
            _options.NodeName, _fenceFailures, failed.Reason, delay);
        Timers.StartSingleTimer("fence-retry", RetryFence.Instance, delay);
    }

    private void OnMajorityRegained()
    {
        _majority = true;
        if (ReadyToRejoin)
        {
            _log.Information("node {Node} reaches a majority again; reconciling before it takes work", _options.NodeName);
            Register();
        }
    }

    /// <summary>A verdict came: at start, or after a fence once the node is back, the agent vouches for its containers again.</summary>
    private void Reconciled()
    {
        if (_reconciled || (_fencedFor is not null && !ReadyToRejoin))
        {
            return;
        }

        if (_fencedFor is { } reason)
        {
            _log.Information("node {Node} rejoined and reconciled after it was fenced ({Reason}); taking work again", _options.NodeName, reason);
        }

        _fencedFor = null;
        _reconciled = true;
        _leaseRenewedByThisAgent = false;
        RenewLeaseIfVouching();
        Register();
    }

    private void RenewLeaseIfVouching()
    {
        if (_options.Lease is not { } lease || _leaseHeld || _fencedFor is not null || !_reconciled || !_majority)
        {
            return;
        }

        var now = DateTime.UtcNow;
        if (_leaseRenewedByThisAgent && lease.HasRunOut(now))
        {
            // Frozen (SIGSTOP, a long stall) past its own lease: the guard may have stopped containers under the runners.
            Self.Tell(new Fence($"its lease ran out before the agent renewed it (stalled for more than {_options.LeaseHold.TotalSeconds:0.#}s)"));
            return;
        }

        _leaseRenewedByThisAgent |= TrySetLease(lease, now + _options.LeaseHold);
    }

    private bool TrySetLease(FenceLease lease, DateTime until)
    {
        try
        {
            lease.RenewUntil(until);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("cannot renew the fencing lease {Lease}: {Reason}; the node guard will stop this node's containers", lease.Path, e.Message);
            return false;
        }
    }

    /// <summary>Leaving gracefully: the lease is set to last while a new agent starts, and this one renews it no more.</summary>
    private void OnHoldLease(HoldLease hold)
    {
        _leaseHeld = true;
        DateTime? until = null;
        var holdUntil = DateTime.UtcNow + hold.For;
        if (_options.Lease is { } lease && _fencedFor is null && _reconciled && _majority && TrySetLease(lease, holdUntil))
        {
            until = holdUntil;
            _log.Information("leaving: the fencing lease holds this node's containers until {Until:HH:mm:ss} for the next agent to adopt", until);
        }

        Sender.Tell(new LeaseHeld(until));
    }

    private sealed record FenceStopped(int Containers);

    private sealed record FenceStopFailed(string Reason);

    private sealed record RetryFence
    {
        public static readonly RetryFence Instance = new();
    }

    private sealed record RenewLease
    {
        public static readonly RenewLease Instance = new();
    }
}

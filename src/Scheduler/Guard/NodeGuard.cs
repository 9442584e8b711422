using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Serilog;

namespace Sched.Scheduler.Guard;

/// <summary>
/// `sched guard`: the node-local half of fencing, a process apart from the agent. While the agent's lease holds it
/// only looks at a file's time; once the lease has run out (the agent was killed, frozen, cut off or downed) it stops
/// every running container of this cluster on the node and keeps checking, retrying what failed, until a reconciled
/// agent renews the lease. It needs neither the cluster nor the agent, only the node's podman socket.
/// </summary>
public sealed class NodeGuard(FenceLease lease, IContainerRuntime runtime, ILogger log, TimeProvider clock)
{
    /// <summary>After a failed pass (the engine did not answer): try again this soon.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    /// <summary>After a clean pass: look for running containers again this often while the lease stays out.</summary>
    public static readonly TimeSpan RecheckWhileOut = TimeSpan.FromSeconds(5);

    /// <summary>A pass that takes longer has met a hung engine: it fails, and is tried again.</summary>
    public static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(15);

    private bool _runOut;
    private int _failures;
    private DateTime _nextPass = DateTime.MinValue;

    /// <summary>Guards until <paramref name="ct"/> is cancelled (SIGTERM), then returns.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await Guard(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Information("sched guard stops: asked to");
        }
    }

    private async Task Guard(CancellationToken ct)
    {
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var expires = lease.ExpiresAt();
            if (LeaseCheck.SleepBeforeNextLook(expires, now) is { } sleep)
            {
                if (_runOut)
                {
                    log.Information("the agent renewed the lease {Lease}; the guard stands by", lease.Path);
                    (_runOut, _failures, _nextPass) = (false, 0, DateTime.MinValue);
                }

                await Task.Delay(sleep, clock, ct);
                continue;
            }

            if (!_runOut)
            {
                _runOut = true;
                log.Warning("the lease {Lease} {State}: no agent vouches for this node's containers; stopping them",
                    lease.Path, expires is { } at ? $"ran out at {at:HH:mm:ss.fff}" : "does not exist");
            }

            if (now >= _nextPass)
            {
                _nextPass = now + (await TryStopAll(ct) ? RecheckWhileOut : RetryAfterFailure);
            }

            await Task.Delay(LeaseCheck.LookEvery, clock, ct);
        }
    }

    /// <summary>One pass: true when nothing of this cluster runs any more (or the lease came back meanwhile).</summary>
    private async Task<bool> TryStopAll(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(PassTimeout);
        var ct = timeout.Token;
        try
        {
            var running = (await runtime.ListManagedAsync(ct)).Where(c => c.State == "running").ToList();
            foreach (var container in running)
            {
                if (!lease.HasRunOut(clock.GetUtcNow().UtcDateTime))
                {
                    return true;
                }

                await runtime.StopAsync(container.Id, TimeSpan.Zero, ct);
                log.Warning("guard stopped {Container} ({Id}): the lease ran out", container.Name, container.Id[..Math.Min(12, container.Id.Length)]);
            }

            if (_failures > 0)
            {
                log.Information("guard: this node's containers are stopped after {Failures} failed attempts", _failures);
                _failures = 0;
            }

            return true;
        }
        catch (Exception e) when (e is ContainerRuntimeException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            _failures++;
            var reason = e is OperationCanceledException ? $"the engine did not answer within {PassTimeout.TotalSeconds:0}s" : e.Message;
            log.Error("guard could not stop this node's containers (attempt {Attempt}): {Reason}; retrying in {Retry}", _failures, reason, RetryAfterFailure);
            return false;
        }
    }
}

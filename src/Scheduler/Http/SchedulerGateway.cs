using System.Diagnostics;
using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.Scheduler.Http;

/// <summary>
/// How HTTP handlers reach the scheduler singleton, with a bounded wait. While the scheduler moves to another node,
/// the proxy still sends to the old one until that node is removed, and those messages are lost: a request that is
/// safe to repeat (a read, a stop, a submission with an idempotency key) is therefore asked again every few seconds
/// within the bound, so it is answered soon after the new scheduler is up rather than at the end of the bound.
/// </summary>
/// <remarks>AllowedHostPaths are this node's --allow-host-path roots, which submissions are checked against.</remarks>
public sealed class SchedulerGateway(ActorSystem system, IActorRef schedulerProxy, IReadOnlyCollection<string>? allowedHostPaths = null)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ReadAttempt = TimeSpan.FromSeconds(2);

    /// <summary>Longer than a write to a majority of scheduler nodes may take (3 s), so a slow write is not asked twice.</summary>
    private static readonly TimeSpan SubmitAttempt = TimeSpan.FromSeconds(4);

    public ActorSystem System { get; } = system;

    public IReadOnlyCollection<string> AllowedHostPaths { get; } = allowedHostPaths ?? [];

    /// <summary>This node's image store when it runs podman (a worker): where `sched image push` loads an image.</summary>
    public Sched.NodeActor.Images.IImageStore? LocalImages { get; init; }

    /// <summary>This node's name, as the other nodes and `sched images` know it.</summary>
    public string NodeName { get; init; } = "";

    public async Task<T> Ask<T>(ISchedMessage message, CancellationToken ct)
    {
        var attempt = AttemptTimeout(message);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = AskTimeout - clock.Elapsed;
            try
            {
                return await schedulerProxy.Ask<T>(message, left < attempt ? left : attempt, ct);
            }
            catch (AskTimeoutException) when (AskTimeout - clock.Elapsed > TimeSpan.FromMilliseconds(100))
            {
            }
        }
    }

    /// <summary>
    /// Every job, page after page as the scheduler sends them: from another node each page fits one cluster frame,
    /// where a full list of a few hundred jobs would not.
    /// </summary>
    public Task<JobListReply> AllJobs(CancellationToken ct) => JobPages.Read(this, null, null, ct);

    /// <summary>The job and node lists, asked at the same time.</summary>
    public async Task<(JobListReply Jobs, NodeListReply Nodes)> JobsAndNodes(CancellationToken ct)
    {
        var jobs = AllJobs(ct);
        var nodes = Ask<NodeListReply>(GetNodes.Instance, ct);
        return (await jobs, await nodes);
    }

    /// <summary>A message whose answers go to <paramref name="replyTo"/> (a streaming relay) rather than back here.</summary>
    public void Tell(ISchedMessage message, IActorRef replyTo) => schedulerProxy.Tell(message, replyTo);

    private static TimeSpan AttemptTimeout(ISchedMessage message) => message switch
    {
        GetJobs or GetJob or GetNodes or GetImages or StopJob => ReadAttempt,
        SubmitJob { IdempotencyKey: not null } => SubmitAttempt,
        _ => AskTimeout,
    };
}

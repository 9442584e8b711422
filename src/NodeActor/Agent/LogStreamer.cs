using Akka.Actor;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Agent;

/// <summary>
/// Streams one container's log to a requester on any node, line batches as they come, then <see cref="LogsEnded"/>.
/// Stops early when the requester goes away (the person pressed Ctrl-C).
/// </summary>
public sealed class LogStreamer : ReceiveActor, IDisposable
{
    private const int BatchLines = 200;
    private readonly CancellationTokenSource _cancel = new();

    public LogStreamer(IContainerRuntime runtime, LogArchive? archive, StreamContainerLogs request, IActorRef requester)
    {
        Context.Watch(requester);
        Pump(runtime, archive, request, requester, _cancel.Token).PipeTo(Self,
            success: () => new LogsEnded(null),
            failure: ex => new LogsEnded(ex.GetBaseException().Message));
        Receive<LogsEnded>(ended =>
        {
            requester.Tell(ended);
            Context.Stop(Self);
        });
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    public static Props Props(IContainerRuntime runtime, LogArchive? archive, StreamContainerLogs request, IActorRef requester) =>
        Akka.Actor.Props.Create(() => new LogStreamer(runtime, archive, request, requester));

    protected override void PostStop() => _cancel.Cancel();

    public void Dispose() => _cancel.Dispose();

    /// <summary>
    /// Runs off the actor: it touches no actor state and only tells the requester. A container that is gone but whose
    /// log was archived when it was removed is read from the archive, and the requester hears so first.
    /// </summary>
    private static async Task Pump(IContainerRuntime runtime, LogArchive? archive, StreamContainerLogs request, IActorRef requester, CancellationToken ct)
    {
        var lines = runtime.LogsAsync(request.ContainerName, request.Follow, ct);
        if (archive?.ArchivedAt(request.ContainerName) is { } archivedAt && await runtime.InspectManagedAsync(request.ContainerName, ct) is null)
        {
            requester.Tell(new LogArchived(request.ContainerName, archivedAt));
            lines = archive.ReadAsync(request.ContainerName, ct);
        }

        var batch = new List<string>();
        await foreach (var line in lines)
        {
            batch.Add(line);
            if (request.Follow || batch.Count >= BatchLines)
            {
                requester.Tell(new LogLines([.. batch]));
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            requester.Tell(new LogLines([.. batch]));
        }
    }
}

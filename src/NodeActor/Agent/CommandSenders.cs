using Akka.Actor;

namespace Sched.NodeActor.Agent;

/// <summary>Who may tell this node's agent to run, stop or remove containers, and who may read their logs.</summary>
public interface ICommandSenders
{
    /// <summary>Run, stop, reconcile and remove: only the scheduler singleton (or this process).</summary>
    bool MayCommand(IActorRef sender);

    /// <summary>Log streams: any scheduler node serving the API (or this process).</summary>
    bool MayReadLogs(IActorRef sender);

    /// <summary>Copies of this node's images: any up member of this node's cluster (or this process).</summary>
    bool MayFetchImages(IActorRef sender);
}

/// <summary>Outside a cluster: only actors of this actor system.</summary>
public sealed class LocalCommandSenders : ICommandSenders
{
    public static readonly LocalCommandSenders Instance = new();

    public bool MayCommand(IActorRef sender) => IsLocal(sender);

    public bool MayReadLogs(IActorRef sender) => IsLocal(sender);

    public bool MayFetchImages(IActorRef sender) => IsLocal(sender);

    public static bool IsLocal(IActorRef sender) => sender.Path.Address.HasLocalScope;
}

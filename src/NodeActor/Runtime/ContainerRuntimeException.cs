namespace Sched.NodeActor.Runtime;

/// <summary>What kind of trouble the container engine reported, so callers can react without parsing messages.</summary>
public enum ContainerRuntimeFailure
{
    /// <summary>The engine answered with an error.</summary>
    Engine,

    /// <summary>The engine's API socket does not answer: the node cannot run containers now.</summary>
    EngineUnreachable,

    /// <summary>The image is not on this node and could not be pulled.</summary>
    ImageUnavailable,

    /// <summary>The container does not exist (any more).</summary>
    NoSuchContainer,

    /// <summary>The container's command is not in its image, or not executable: every attempt would fail the same way.</summary>
    CommandNotRunnable,
}

/// <summary>A container engine failure, with a message a person can act on.</summary>
public sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException()
        : this("the container engine failed")
    {
    }

    public ContainerRuntimeException(string message)
        : this(ContainerRuntimeFailure.Engine, message, null)
    {
    }

    public ContainerRuntimeException(string message, Exception? innerException)
        : this(ContainerRuntimeFailure.Engine, message, innerException)
    {
    }

    public ContainerRuntimeException(ContainerRuntimeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public ContainerRuntimeFailure Failure { get; }
}

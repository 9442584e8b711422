using Sched.Contracts.Serialization;

namespace Sched.Scheduler.Wire;

/// <summary>
/// Every message a sched process sends, receives or keeps on disk. Today all are declared in Sched.Contracts; a
/// message declared in this assembly goes in a context of this assembly (<see cref="SchedSerialization.MessageContext"/>
/// says how), added here to both <see cref="Catalog"/> and <see cref="Hocon"/>.
/// </summary>
public static class SchedulerWire
{
    public static MessageCatalog Catalog => MessageCatalog.Contracts;

    /// <summary>The serializer and the message contexts, and Akka's serializers that sched closes; merge into the actor system's HOCON.</summary>
    public static readonly string Hocon = SchedSerialization.Hocon + "\n" + ClosedSerializers.Hocon;
}

namespace Sched.NodeActor.Serialization;

/// <summary>Akka configuration that sends every <see cref="Sched.Contracts.Messages.ISchedMessage"/> through <see cref="SchedMessageSerializer"/>.</summary>
public static class SchedSerialization
{
    /// <summary>Merge into the actor system's HOCON; it only adds a serializer and one binding.</summary>
    public const string Hocon = """
        akka.actor {
          serializers {
            sched = "Sched.NodeActor.Serialization.SchedMessageSerializer, Sched.NodeActor"
          }
          serialization-bindings {
            "Sched.Contracts.Messages.ISchedMessage, Sched.Contracts" = sched
          }
        }
        """;
}

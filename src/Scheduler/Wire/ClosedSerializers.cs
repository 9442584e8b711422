namespace Sched.Scheduler.Wire;

/// <summary>
/// The Akka serializers a sched cluster closes, by the alias Akka's reference settings give them. Each would build, from
/// a frame, objects of types the sender names: Newtonsoft JSON any type at all (it is bound to System.Object), protobuf
/// any message type, daemon-create any actor (remote deployment). sched uses none of them; reliable delivery is not
/// used either. Every other serializer of Akka's reads only its own messages and stays.
/// </summary>
public static class ClosedSerializers
{
    public static IReadOnlyList<(string Alias, int Id, string Replaces)> All { get; } =
    [
        ("json", 1, "Akka's Newtonsoft JSON"),
        ("proto", 2, "Akka's protobuf for any message type"),
        ("daemon-create", 3, "Akka's remote deployment"),
        ("reliable-delivery", 36, "Akka's reliable delivery"),
    ];

    /// <summary>HOCON that puts <see cref="ClosedSerializer"/> under each alias; it wins over Akka's reference settings.</summary>
    public static string Hocon =>
        string.Join("\n", All.Select(s => $$"""
            akka.actor.serializers.{{s.Alias}} = "{{typeof(ClosedSerializer).FullName}}, {{typeof(ClosedSerializer).Assembly.GetName().Name}}"
            akka.actor.serialization-settings.{{s.Alias}} { id = {{s.Id}}, replaces = "{{s.Replaces}}" }
            """));
}

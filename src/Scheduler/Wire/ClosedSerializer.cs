using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Sched.Scheduler.Wire;

/// <summary>
/// Takes the place (and the id) of an Akka serializer sched does not use, so that neither direction works: nothing
/// sched sends falls back to it, and a frame that names it builds nothing, whatever type its manifest names. A
/// string-manifest serializer, so Akka passes the manifest through as text and never loads the type it names.
/// </summary>
public sealed class ClosedSerializer : SerializerWithStringManifest
{
    private readonly int _id;

    /// <summary>Akka calls this with <c>akka.actor.serialization-settings.ALIAS</c>: the id to take and what it replaces.</summary>
    public ClosedSerializer(ExtendedActorSystem system, Config settings)
        : base(system)
    {
        _id = settings.GetInt("id");
        Replaces = settings.GetString("replaces");
    }

    /// <summary>What Akka had under this id, for the error messages.</summary>
    public string Replaces { get; }

    public override int Identifier => _id;

    public override string Manifest(object o) => throw Unbound(o);

    public override byte[] ToBinary(object obj) => throw Unbound(obj);

    public override object FromBinary(byte[] bytes, string manifest) =>
        throw new SerializationException(
            $"serializer id {_id} ({Replaces}) is closed in sched; the message, manifest '{manifest}', was not built");

    private SerializationException Unbound(object o) =>
        new($"{o.GetType().FullName} has no serializer in sched ({Replaces}, id {_id}, is closed): a message between nodes "
            + "is an ISchedMessage listed in a message context, or one of Akka's own");
}

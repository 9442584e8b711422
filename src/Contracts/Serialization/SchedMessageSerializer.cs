using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Serialization;

/// <summary>
/// Puts every <see cref="ISchedMessage"/> on the wire as UTF-8 JSON (System.Text.Json, source-generated, enums as
/// names). The manifest is the message type's short name, looked up in its <see cref="MessageCatalog"/>, which
/// <see cref="SchedSerialization"/>'s settings name the contexts of. Bound by <see cref="SchedSerialization.Hocon"/>.
/// </summary>
public sealed class SchedMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Fixed for ever: it is written into every remote envelope. Akka reserves 0-100.</summary>
    public const int SerializerId = 4053;

    public SchedMessageSerializer(ExtendedActorSystem system)
        : this(system, MessageCatalog.Contracts)
    {
    }

    /// <summary>Akka calls this one with <c>akka.actor.serialization-settings.sched</c>.</summary>
    public SchedMessageSerializer(ExtendedActorSystem system, Config settings)
        : this(system, SchedSerialization.CatalogFrom(settings))
    {
    }

    public SchedMessageSerializer(ExtendedActorSystem system, MessageCatalog catalog)
        : base(system)
    {
        Catalog = catalog;
    }

    public MessageCatalog Catalog { get; }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        Catalog.ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{o.GetType().FullName} is not a message this node's sched serializer knows, so it has no manifest.");

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, Catalog.TypeInfo(obj.GetType()));
    }

    /// <summary>Reads a message by its manifest; Akka's own "Namespace.Type, Assembly" form is accepted for registered types.</summary>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Catalog.TryResolve(manifest, out var type))
        {
            throw new SerializationException(
                $"Unknown sched message manifest '{manifest}': no message of that name on this node " +
                "(is the sending node running a different version?).");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, Catalog.TypeInfo(type))
                ?? throw new SerializationException($"A '{manifest}' message arrived as JSON null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"A '{manifest}' message could not be read: {e.Message}", e);
        }
    }
}

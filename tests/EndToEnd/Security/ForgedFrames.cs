using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Sched.EndToEnd.Security;

/// <summary>
/// A message the rogue puts on the wire with a serializer id and manifest of its choosing: <see cref="Bytes"/> as they
/// are, under <see cref="Manifest"/>. What the receiving agent does with such a frame is what the tests look at.
/// </summary>
public abstract record ForgedFrame(byte[] Bytes, string Manifest);

/// <summary>Goes out under Akka's Newtonsoft JSON serializer id (1).</summary>
public sealed record ForgedNewtonsoftFrame(byte[] Bytes, string Manifest) : ForgedFrame(Bytes, Manifest);

/// <summary>Goes out under a serializer id no node registers.</summary>
public sealed record ForgedUnknownSerializerFrame(byte[] Bytes, string Manifest) : ForgedFrame(Bytes, Manifest);

/// <summary>The rogue's serializer for forged frames; its id comes from its settings, so one class serves every id.</summary>
public sealed class ForgedFrameSerializer(ExtendedActorSystem system, Config settings) : SerializerWithStringManifest(system)
{
    public const int UnknownId = 7777;

    /// <summary>HOCON for a rogue: Newtonsoft frames under id 1, the others under <see cref="UnknownId"/>.</summary>
    public static readonly string Hocon = $$"""
        akka.actor.serializers {
          forged-json = "{{typeof(ForgedFrameSerializer).AssemblyQualifiedName}}"
          forged-unknown = "{{typeof(ForgedFrameSerializer).AssemblyQualifiedName}}"
        }
        akka.actor.serialization-settings {
          forged-json.id = 1
          forged-unknown.id = {{UnknownId}}
        }
        akka.actor.serialization-bindings {
          "{{typeof(ForgedNewtonsoftFrame).AssemblyQualifiedName}}" = forged-json
          "{{typeof(ForgedUnknownSerializerFrame).AssemblyQualifiedName}}" = forged-unknown
        }
        """;

    public override int Identifier { get; } = settings.GetInt("id");

    public override string Manifest(object o) => ((ForgedFrame)o).Manifest;

    public override byte[] ToBinary(object obj) => ((ForgedFrame)obj).Bytes;

    public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("a rogue only sends forged frames");
}

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Serialization;

/// <summary>
/// The messages the sched serializer knows, by manifest (the type's short name): every concrete
/// <see cref="ISchedMessage"/> named by a <c>[JsonSerializable]</c> line of one of the given source-generated
/// contexts. Each assembly that declares messages brings one context (the contracts bring
/// <see cref="SchedMessageJsonContext"/>), so a message type may live in the assembly that uses it.
/// </summary>
public sealed class MessageCatalog
{
    /// <summary>The messages of <c>Sched.Contracts</c> alone.</summary>
    public static MessageCatalog Contracts { get; } = new([SchedMessageJsonContext.Default]);

    private readonly FrozenDictionary<Type, JsonSerializerContext> _contextsByType;

    public MessageCatalog(IEnumerable<JsonSerializerContext> contexts)
    {
        Contexts = [.. contexts];
        var declared = Contexts
            .SelectMany(context => MessageTypesOf(context).Select(type => (Type: type, Context: context)))
            .DistinctBy(entry => entry.Type)
            .ToList();

        var clashes = declared.GroupBy(entry => entry.Type.Name).Where(group => group.Count() > 1).ToList();
        if (clashes.Count > 0)
        {
            var names = string.Join("; ", clashes.Select(group => string.Join(", ", group.Select(entry => entry.Type.FullName))));
            throw new InvalidOperationException(
                $"Message types share a short name, which is their wire manifest; rename one: {names}");
        }

        _contextsByType = declared.ToFrozenDictionary(entry => entry.Type, entry => entry.Context);
        TypesByManifest = declared.ToFrozenDictionary(entry => entry.Type.Name, entry => entry.Type, StringComparer.Ordinal);
        ManifestsByType = TypesByManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);
        TypesByQualifiedName = TypesByManifest.Values.ToFrozenDictionary(
            type => $"{type.FullName}, {type.Assembly.GetName().Name}", StringComparer.Ordinal);
    }

    /// <summary>The contexts the messages were taken from, in the order given.</summary>
    public IReadOnlyList<JsonSerializerContext> Contexts { get; }

    public FrozenDictionary<string, Type> TypesByManifest { get; }

    public FrozenDictionary<Type, string> ManifestsByType { get; }

    /// <summary>
    /// The same types by the manifest Akka itself makes up ("Namespace.Type, Assembly") when a caller asks to
    /// deserialize by <see cref="Type"/> rather than by our manifest. Only registered types resolve, never any other.
    /// </summary>
    public FrozenDictionary<string, Type> TypesByQualifiedName { get; }

    public bool TryResolve(string manifest, [NotNullWhen(true)] out Type? type) =>
        TypesByManifest.TryGetValue(manifest, out type) || TypesByQualifiedName.TryGetValue(manifest, out type);

    /// <summary>The JSON metadata of a registered message, from the context that declared it.</summary>
    public JsonTypeInfo TypeInfo(Type type) =>
        _contextsByType.TryGetValue(type, out var context) && context.GetTypeInfo(type) is { } info
            ? info
            : throw new SerializationException(
                $"{type.FullName} is not a message of this catalog: it needs a [JsonSerializable(typeof({type.Name}))] " +
                "line on its assembly's message context.");

    /// <summary>The wire JSON outside Akka, e.g. for what the scheduler keeps on disk.</summary>
    public byte[] ToJson<T>(T message)
        where T : ISchedMessage => JsonSerializer.SerializeToUtf8Bytes(message, TypeInfo(typeof(T)));

    public T FromJson<T>(byte[] bytes)
        where T : ISchedMessage =>
        (T)(JsonSerializer.Deserialize(bytes, TypeInfo(typeof(T))) ?? throw new SerializationException($"{typeof(T).Name} stored as JSON null"));

    /// <summary>The message types a context declares: the concrete <see cref="ISchedMessage"/>s among its <c>[JsonSerializable]</c> roots.</summary>
    private static IEnumerable<Type> MessageTypesOf(JsonSerializerContext context) =>
        context.GetType().GetCustomAttributesData()
            .Where(attribute => attribute.AttributeType == typeof(JsonSerializableAttribute))
            .Select(attribute => attribute.ConstructorArguments[0].Value)
            .OfType<Type>()
            .Where(type => type is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false }
                && typeof(ISchedMessage).IsAssignableFrom(type));
}

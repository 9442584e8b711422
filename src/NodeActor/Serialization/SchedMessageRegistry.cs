using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Sched.Contracts.Messages;

namespace Sched.NodeActor.Serialization;

/// <summary>
/// Every concrete <see cref="ISchedMessage"/> in the contracts assembly, by its manifest (the type's short name).
/// Built by reflection, so a new message type is registered by existing.
/// </summary>
internal static class SchedMessageRegistry
{
    public static readonly FrozenDictionary<string, Type> TypesByManifest = Discover();

    public static readonly FrozenDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>
    /// The same types by the manifest Akka itself makes up ("Namespace.Type, Assembly") when a caller asks to
    /// deserialize by <see cref="Type"/> rather than by our manifest. Only registered types resolve, never any other.
    /// </summary>
    public static readonly FrozenDictionary<string, Type> TypesByQualifiedName =
        TypesByManifest.Values.ToFrozenDictionary(type => $"{type.FullName}, {type.Assembly.GetName().Name}", StringComparer.Ordinal);

    public static bool TryResolve(string manifest, [NotNullWhen(true)] out Type? type) =>
        TypesByManifest.TryGetValue(manifest, out type) || TypesByQualifiedName.TryGetValue(manifest, out type);

    private static FrozenDictionary<string, Type> Discover()
    {
        var types = typeof(ISchedMessage).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false }
                && typeof(ISchedMessage).IsAssignableFrom(type))
            .ToList();

        var clashes = types.GroupBy(type => type.Name).Where(group => group.Count() > 1).ToList();
        if (clashes.Count > 0)
        {
            var names = string.Join("; ", clashes.Select(group => string.Join(", ", group.Select(type => type.FullName))));
            throw new InvalidOperationException(
                $"Message types share a short name, which is their wire manifest; rename one: {names}");
        }

        return types.ToFrozenDictionary(type => type.Name, StringComparer.Ordinal);
    }
}

using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Sched.Scheduler.Http.Dashboard;

/// <summary>One file of the dashboard, read once from the binary with the headers it is served with.</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's files, embedded in sched.dll (Scheduler.csproj) under <see cref="ResourcePrefix"/>. They are read
/// once at start: a fixed set that holds no data, so serving them costs the same on the first day and the hundredth.
/// </summary>
public static class DashboardAssets
{
    public const string ResourcePrefix = "dashboard/";

    public const string Index = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every file by its name under /ui/, e.g. "app.js".</summary>
    public static FrozenDictionary<string, DashboardAsset> All { get; } = Load(typeof(DashboardAssets).Assembly);

    private static FrozenDictionary<string, DashboardAsset> Load(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Read(assembly, n))
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    private static DashboardAsset Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var name = resource[ResourcePrefix.Length..];
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"";
        return new DashboardAsset(name, content, type, etag);
    }
}

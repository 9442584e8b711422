using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>
/// Registry logins in the file `podman login --authfile FILE` writes (containers-auth.json): {"auths": {"host:port":
/// {"auth": base64("user:password")}}}. Read at every pull, so a new login needs no agent restart. A key may name a
/// registry or a namespace in it (host/team); the longest key that the image falls under wins.
/// </summary>
public sealed class RegistryAuthFile(string path)
{
    private const string DockerHub = "docker.io";

    public string Path { get; } = path;

    /// <summary>The login for the image's registry, or null when the file has none for it.</summary>
    /// <exception cref="RegistryAuthException">The file cannot be read or is not an auth file.</exception>
    public AuthConfig? For(string image)
    {
        var target = Target(image);
        JsonElement auths;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path));
            if (!document.RootElement.TryGetProperty("auths", out auths) || auths.ValueKind != JsonValueKind.Object)
            {
                throw new RegistryAuthException($"registry auth file {Path} has no \"auths\" object; write it with `podman login --authfile {Path} REGISTRY`");
            }

            var best = auths.EnumerateObject()
                .Select(entry => (Key: Normalise(entry.Name), entry.Value))
                .Where(entry => target == entry.Key || target.StartsWith(entry.Key + "/", StringComparison.Ordinal))
                .OrderByDescending(entry => entry.Key.Length)
                .FirstOrDefault();
            return best.Key is null ? null : Login(best.Key, best.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            throw new RegistryAuthException($"registry auth file {Path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>registry/path of an image reference without its tag or digest; images without a registry are Docker Hub's.</summary>
    public static string Target(string image)
    {
        var name = image.Split('@')[0];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash)
        {
            name = name[..colon];
        }

        var first = name.Split('/')[0];
        var hasRegistry = name.Contains('/', StringComparison.Ordinal) && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        return hasRegistry ? Normalise(name) : $"{DockerHub}/{name}";
    }

    /// <summary>Docker writes Hub logins as https://index.docker.io/v1/; podman as docker.io. Both mean the same registry.</summary>
    private static string Normalise(string key)
    {
        var bare = key.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).TrimEnd('/');
        if (bare.EndsWith("/v1", StringComparison.Ordinal) || bare.EndsWith("/v2", StringComparison.Ordinal))
        {
            bare = bare[..^3];
        }

        var parts = bare.Split('/', 2);
        return parts[0] is "index.docker.io" or "registry-1.docker.io" ? (parts.Length == 1 ? DockerHub : $"{DockerHub}/{parts[1]}") : bare;
    }

    private AuthConfig Login(string key, JsonElement entry)
    {
        var registry = key.Split('/')[0];
        if (entry.TryGetProperty("auth", out var encoded) && encoded.GetString() is { Length: > 0 } auth)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth)).Split(':', 2);
            if (pair.Length == 2)
            {
                return new AuthConfig { ServerAddress = registry, Username = pair[0], Password = pair[1] };
            }
        }

        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password))
        {
            return new AuthConfig { ServerAddress = registry, Username = user.GetString(), Password = password.GetString() };
        }

        if (entry.TryGetProperty("identitytoken", out var token))
        {
            return new AuthConfig { ServerAddress = registry, IdentityToken = token.GetString() };
        }

        throw new RegistryAuthException($"registry auth file {Path}: the entry for {key} has no \"auth\" (base64 of user:password); log in again with `podman login --authfile {Path} {registry}`");
    }
}

public sealed class RegistryAuthException(string message, Exception? inner = null) : Exception(message, inner);

using System.Buffers.Text;
using System.Security.Cryptography;

namespace Sched.Scheduler.Http.Auth;

/// <summary>
/// Where a scheduler node's API token lives: the file given with --token-file (which must exist, so that every
/// scheduler node is given the same one), else <c>api-token</c> in the data dir, generated on first start.
/// </summary>
public static class ApiTokenFile
{
    public const string DefaultName = "api-token";

    private const int MinimumLength = 16;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Beside the admin token: a token that may read everything and change nothing (Grafana, a phone).</summary>
    public const string ReadOnlySuffix = "-read";

    public static string DefaultPath(string dataDir) => Path.Combine(dataDir, DefaultName);

    public static string ReadOnlyPath(string adminPath) => adminPath + ReadOnlySuffix;

    /// <summary>
    /// The admin token and, beside it, the read-only one: read when its file exists, generated with the admin token's
    /// file when that one is generated in the data dir, else none (an operator-made token file gets no read-only twin
    /// unless the operator makes one too).
    /// </summary>
    public static ApiTokens LoadAll(string? configuredPath, string dataDir)
    {
        var admin = Load(configuredPath, dataDir);
        var readOnlyPath = ReadOnlyPath(admin.Path);
        var reader = File.Exists(readOnlyPath) ? Read(readOnlyPath)
            : configuredPath is null ? Create(readOnlyPath)
            : null;
        return new ApiTokens(admin, reader);
    }

    public static ApiToken Load(string? configuredPath, string dataDir)
    {
        if (configuredPath is not null)
        {
            return File.Exists(configuredPath)
                ? Read(configuredPath)
                : throw new TokenFileException(
                    $"the token file {configuredPath} (--token-file) does not exist. Create it once with "
                    + $"`head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > {configuredPath} && chmod 600 {configuredPath}` "
                    + "and give every scheduler node the same file, or leave --token-file out to have one generated in the data dir.");
        }

        var path = DefaultPath(dataDir);
        return File.Exists(path) ? Read(path) : Create(path);
    }

    /// <summary>True when others than the owner may read the file; the agent warns about it.</summary>
    public static bool IsReadableByOthers(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0;

    private static ApiToken Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Base64url may begin with '-', and `sched nodes --token -x...` then reads the token as a flag (1 start in 64).
        var token = "sched_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.WriteLine(token);
        }

        return new ApiToken(token, path);
    }

    private static ApiToken Read(string path)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenFileException($"the token file {path} cannot be read: {e.Message}");
        }

        if (token.Length < MinimumLength || token.Any(char.IsWhiteSpace))
        {
            throw new TokenFileException(
                $"the token file {path} must hold one token of at least {MinimumLength} characters without spaces; "
                + $"make one with `head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > {path}`.");
        }

        return new ApiToken(token, path);
    }
}

/// <summary>The API token cannot be had; the agent does not start rather than serve its API unprotected.</summary>
public sealed class TokenFileException(string message) : Exception(message);

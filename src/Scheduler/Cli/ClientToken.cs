using Sched.Scheduler.Http.Auth;

namespace Sched.Scheduler.Cli;

/// <summary>The API token the CLI sends, and where it came from (named when the server refuses it).</summary>
public sealed record ClientToken(string? Value, string Origin)
{
    /// <summary>
    /// --token, else $SCHED_TOKEN, else the first token file there is: $SCHED_TOKEN_FILE, then api-token in
    /// $SCHED_DATA_DIR, ./.sched (a dev agent started here) and /var/lib/sched (the agent's default data dir).
    /// </summary>
    public static ClientToken Find(string? flag, Func<string, string?> env) =>
        Find(flag, env, [AgentConfigResolver.DevDataDir, AgentConfigResolver.DefaultDataDir]);

    /// <summary>As <see cref="Find(string?, Func{string, string?})"/>, with the agent's default data dirs given.</summary>
    internal static ClientToken Find(string? flag, Func<string, string?> env, IReadOnlyList<string> defaultDataDirs)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return new ClientToken(flag.Trim(), "--token");
        }

        if (env("SCHED_TOKEN") is { } fromEnv && !string.IsNullOrWhiteSpace(fromEnv))
        {
            return new ClientToken(fromEnv.Trim(), "SCHED_TOKEN");
        }

        var looked = new List<string>();
        foreach (var path in TokenFiles(env, defaultDataDirs))
        {
            try
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length > 0)
                {
                    return new ClientToken(text, path);
                }

                looked.Add($"{path} is empty");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                looked.Add($"no {path}");
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                looked.Add($"{path} cannot be read ({e.Message})");
            }
        }

        return new ClientToken(null, $"no --token, no SCHED_TOKEN, {string.Join(", ", looked)}");
    }

    private static IEnumerable<string> TokenFiles(Func<string, string?> env, IReadOnlyList<string> defaultDataDirs)
    {
        if (env("SCHED_TOKEN_FILE") is { Length: > 0 } file)
        {
            yield return file;
        }

        if (env("SCHED_DATA_DIR") is { Length: > 0 } dataDir)
        {
            yield return ApiTokenFile.DefaultPath(dataDir);
        }

        foreach (var defaultDataDir in defaultDataDirs)
        {
            yield return ApiTokenFile.DefaultPath(defaultDataDir);
        }
    }

    /// <summary>What the CLI says when the server answers 401.</summary>
    public string Refused(Uri address, string problem) =>
        (Value is null ? $"sched at {address} needs an API token and none was found ({Origin})." : $"sched at {address} refused the token from {Origin}.")
        + $"{Environment.NewLine}  {problem}{Environment.NewLine}Pass the API token with --token or SCHED_TOKEN.";
}

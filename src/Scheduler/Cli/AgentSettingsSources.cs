using System.Globalization;

namespace Sched.Scheduler.Cli;

/// <summary>
/// Completes `sched agent` flags the way systemd users expect: a flag on the command line wins, then the
/// SCHED_* environment variable, then the same name in the --config file. Repeatable flags take comma lists.
/// </summary>
public static class AgentSettingsSources
{
    public static AgentSettings Complete(AgentSettings flags, Func<string, string?> env)
    {
        var configPath = flags.Config ?? env("SCHED_CONFIG");
        var file = configPath is null ? new Dictionary<string, string>() : ConfigFile.Read(configPath);
        string? Get(string key) => env(key) ?? file.GetValueOrDefault(key);
        string Origin(string key) => env(key) is not null ? key : $"{key} in {configPath}";

        int? Int(string key) => Get(key) is not { } text ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw new CliException($"{Origin(key)}='{text}' is not a whole number");

        bool Switch(bool given, string key) => given || Get(key) is "1" or "true" or "yes";

        string[] List(string[] given, string key) =>
            given.Length > 0 ? given : Get(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        return new AgentSettings
        {
            Config = configPath,
            Dev = Switch(flags.Dev, "SCHED_DEV"),
            Seeds = List(flags.Seeds, "SCHED_SEEDS"),
            Host = flags.Host ?? Get("SCHED_HOST"),
            Bind = flags.Bind ?? Get("SCHED_BIND"),
            Port = flags.Port ?? Int("SCHED_PORT"),
            Roles = flags.Roles ?? Get("SCHED_ROLES"),
            Http = flags.Http ?? Get("SCHED_HTTP"),
            DataDir = flags.DataDir ?? Get("SCHED_DATA_DIR"),
            TokenFile = flags.TokenFile ?? Get("SCHED_TOKEN_FILE"),
            TlsDir = flags.TlsDir ?? Get("SCHED_TLS_DIR"),
            Https = Switch(flags.Https, "SCHED_HTTPS"),
            InsecureCluster = Switch(flags.InsecureCluster, "SCHED_INSECURE_CLUSTER"),
            PodmanSocket = flags.PodmanSocket ?? Get("SCHED_PODMAN_SOCKET"),
            ClusterId = flags.ClusterId ?? Get("SCHED_CLUSTER_ID"),
            NodeName = flags.NodeName ?? Get("SCHED_NODE_NAME"),
            Labels = List(flags.Labels, "SCHED_LABELS"),
            AllowHostPaths = List(flags.AllowHostPaths, "SCHED_ALLOW_HOST_PATHS"),
            PublishAddress = flags.PublishAddress ?? Get("SCHED_PUBLISH_ADDRESS"),
            RegistryAuth = flags.RegistryAuth ?? Get("SCHED_REGISTRY_AUTH"),
            ReserveMemory = flags.ReserveMemory ?? Get("SCHED_RESERVE_MEMORY"),
            ReserveCpus = flags.ReserveCpus ?? Get("SCHED_RESERVE_CPUS"),
            HeartbeatPause = flags.HeartbeatPause ?? Get("SCHED_HEARTBEAT_PAUSE"),
            DownAfter = flags.DownAfter ?? Get("SCHED_DOWN_AFTER"),
            FencingMargin = flags.FencingMargin ?? Get("SCHED_FENCING_MARGIN"),
            RetainFinished = flags.RetainFinished ?? Get("SCHED_RETAIN_FINISHED"),
            RetainFinishedCount = flags.RetainFinishedCount ?? Get("SCHED_RETAIN_FINISHED_COUNT"),
            PruneImagesAfter = flags.PruneImagesAfter ?? Get("SCHED_PRUNE_IMAGES_AFTER"),
        };
    }
}

/// <summary>KEY=VALUE lines; blank lines and # comments are skipped, values may be quoted.</summary>
public static class ConfigFile
{
    public static Dictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"config file {path} does not exist; give an existing file to --config or SCHED_CONFIG");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !line.StartsWith("SCHED_", StringComparison.Ordinal))
            {
                throw new CliException($"{path}:{lineNumber}: expected SCHED_NAME=value, e.g. SCHED_SEEDS=node1.local:4053");
            }

            values[line[..equals].Trim()] = line[(equals + 1)..].Trim().Trim('"');
        }

        return values;
    }
}

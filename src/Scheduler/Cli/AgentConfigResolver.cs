using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Contracts.Quantities;
using Sched.NodeActor.Agent;
using Sched.NodeActor.Runtime;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Cli;

/// <summary>Turns `sched agent` flags into a checked <see cref="AgentConfig"/>; every bad flag is reported at once.</summary>
public static class AgentConfigResolver
{
    public const string DevDataDir = ".sched";

    public const string DefaultDataDir = "/var/lib/sched";

    public static AgentConfig Resolve(AgentSettings flags, Func<string, string?> getEnv, string hostname)
    {
        var errors = new List<string>();
        var nodeName = flags.NodeName ?? hostname.Split('.')[0].ToLowerInvariant();
        var host = flags.Host ?? (flags.Dev ? "127.0.0.1" : hostname);
        var port = flags.Port ?? (flags.Dev ? 0 : 4053);
        if (port is < 0 or > 65535)
        {
            errors.Add($"--port {port}: must be 0..65535");
        }

        var roles = (flags.Roles ?? (flags.Dev ? $"{ClusterRoles.Scheduler},{ClusterRoles.Worker}" : ClusterRoles.Worker))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableHashSet();
        foreach (var role in roles.Where(r => r is not ClusterRoles.Scheduler and not ClusterRoles.Worker))
        {
            errors.Add($"--roles: unknown role '{role}'; use scheduler, worker or scheduler,worker");
        }

        if (!flags.Dev && flags.Seeds.Length == 0)
        {
            errors.Add("--seed: give the seed node's host:port (e.g. --seed node1.local:4053), or use --dev for one local process");
        }

        errors.AddRange(flags.Seeds.Where(s => !IsHostPort(s)).Select(s => $"--seed '{s}': use host:port, e.g. node1.local:4053"));
        var http = ParseHttp(flags.Http ?? "127.0.0.1:4080", errors);
        var labels = ParseLabels(flags.Labels, nodeName, errors);
        var reserved = ParseReservation(flags, errors);
        var timings = ParseTimings(flags, errors);
        var retention = ParseRetention(flags, errors);
        var pruneImagesAfter = ParsePruneImagesAfter(flags.PruneImagesAfter, errors);
        var tls = ResolveTls(flags, host, errors);
        if (flags.Https && tls is null)
        {
            errors.Add("--https serves the API with this node's cluster certificate: give --tls-dir (not --insecure-cluster)");
        }

        if (flags.Https && http is null)
        {
            errors.Add("--https: the HTTP API is off (--http off); give it an address, e.g. --http 0.0.0.0:4080");
        }
        string socket = "";
        try
        {
            socket = PodmanSocket.Resolve(flags.PodmanSocket, getEnv, PodmanSocket.CurrentUserId());
        }
        catch (ArgumentException e)
        {
            errors.Add($"--podman-socket: {e.Message}");
        }

        if (flags.Bind is { } bind && !IPAddress.TryParse(bind, out _))
        {
            errors.Add($"--bind '{bind}': use an IP address of this host, or 0.0.0.0 for every one, e.g. --bind 0.0.0.0 --host node2.local");
        }

        var hostPaths = HostPaths.NormaliseRoots(flags.AllowHostPaths, errors);
        IPAddress? publishAddress = null;
        if (flags.PublishAddress is { } publish && !IPAddress.TryParse(publish, out publishAddress))
        {
            errors.Add($"--publish-address '{publish}': use an IP address of this host, e.g. --publish-address 192.168.1.12");
        }

        if (flags.RegistryAuth is { } authFile && !File.Exists(authFile))
        {
            errors.Add($"--registry-auth {authFile}: no such file; write it with `podman login --authfile {authFile} REGISTRY`, or leave the flag out to pull with podman's own logins");
        }

        var dataDir = flags.DataDir ?? (flags.Dev ? DevDataDir : DefaultDataDir);
        var clusterId = ClusterIds.Resolve(flags.ClusterId, flags.Dev, dataDir, errors);
        if (errors.Count > 0)
        {
            throw new CliException("sched agent: " + string.Join(Environment.NewLine + "sched agent: ", errors));
        }

        return new AgentConfig(nodeName, host, port, flags.Seeds.ToImmutableArray(), roles, http,
            dataDir, socket, labels, reserved, JoinSelf: flags.Dev, timings, flags.TokenFile, clusterId, tls, hostPaths, publishAddress)
        {
            Retention = retention,
            PruneImagesAfter = pruneImagesAfter,
            Bind = flags.Bind,
            HttpsApi = flags.Https,
            RegistryAuthFile = flags.RegistryAuth is { } auth ? Path.GetFullPath(auth) : null,
        };
    }

    /// <summary>
    /// A cluster runs mutual TLS: without it anyone who reaches the port controls every node. Only a dev agent on
    /// loopback, or one told so in so many words (--insecure-cluster), goes without.
    /// </summary>
    private static ClusterTls? ResolveTls(AgentSettings flags, string host, List<string> errors)
    {
        if (flags.InsecureCluster)
        {
            if (flags.TlsDir is not null)
            {
                errors.Add("--insecure-cluster and --tls-dir contradict each other: give one of them");
            }

            return null;
        }

        if (flags.TlsDir is null)
        {
            if (!(flags.Dev && IsLoopback(host)))
            {
                errors.Add("--tls-dir: missing; the cluster transport needs the directory with ca.crt, node.crt and node.key "
                    + "(make them with `sched cert init` and `sched cert issue NODE`), or --insecure-cluster to run without TLS");
            }

            return null;
        }

        try
        {
            return ClusterTls.Load(flags.TlsDir);
        }
        catch (ClusterTlsException e)
        {
            errors.Add($"--tls-dir: {e.Message}");
            return null;
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static bool IsHostPort(string text) =>
        text.LastIndexOf(':') is var colon and > 0
        && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;

    private static IPEndPoint? ParseHttp(string text, List<string> errors)
    {
        if (text == "off")
        {
            return null;
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        errors.Add($"--http '{text}': use IP:PORT such as 127.0.0.1:4080 or 0.0.0.0:4080, or off");
        return null;
    }

    private static ImmutableSortedDictionary<string, string> ParseLabels(string[] pairs, string nodeName, List<string> errors)
    {
        var labels = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        labels["arch"] = RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X64 => "amd64",
            var other => other.ToString().ToLowerInvariant(),
        };
        labels["node"] = nodeName;
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                errors.Add($"--label '{pair}': use KEY=VALUE, e.g. --label disk=ssd");
                continue;
            }

            labels[pair[..equals]] = pair[(equals + 1)..];
        }

        return labels.ToImmutable();
    }

    private static ClusterTimings ParseTimings(AgentSettings flags, List<string> errors)
    {
        TimeSpan Parse(string flag, string? text, TimeSpan fallback)
        {
            if (text is null)
            {
                return fallback;
            }

            if (Duration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            errors.Add($"{flag} '{text}': use a duration such as 2s or 1500ms");
            return fallback;
        }

        var defaults = ClusterTimings.Default;
        return new ClusterTimings(
            Parse("--heartbeat-pause", flags.HeartbeatPause, defaults.HeartbeatPause),
            Parse("--down-after", flags.DownAfter, defaults.DownAfter),
            Parse("--fencing-margin", flags.FencingMargin, defaults.FencingMargin));
    }

    private static TimeSpan? ParsePruneImagesAfter(string? flag, List<string> errors)
    {
        if (flag is null)
        {
            return AgentConfig.DefaultPruneImagesAfter;
        }

        if (flag == "off")
        {
            return null;
        }

        if (Duration.TryParse(flag, out var value) && value >= TimeSpan.FromMinutes(1))
        {
            return value;
        }

        errors.Add($"--prune-images-after '{flag}': use a duration of at least 1m such as 72h or 168h, or off to keep every image");
        return null;
    }

    private static RetentionPolicy ParseRetention(AgentSettings flags, List<string> errors)
    {
        var policy = RetentionPolicy.Default;
        if (flags.RetainFinished is { } age)
        {
            if (Duration.TryParse(age, out var value) && value > TimeSpan.Zero)
            {
                policy = policy with { MaxAge = value };
            }
            else
            {
                errors.Add($"--retain-finished '{age}': use a duration such as 24h, 90m or 30s");
            }
        }

        if (flags.RetainFinishedCount is { } count)
        {
            if (int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                policy = policy with { MaxFinished = value };
            }
            else
            {
                errors.Add($"--retain-finished-count '{count}': use a whole number such as 1000 (0 keeps none)");
            }
        }

        return policy;
    }

    private static NodeCapacity ParseReservation(AgentSettings flags, List<string> errors)
    {
        var reserved = AgentOptions.DefaultReservation;
        var memory = reserved.MemoryBytes;
        var cpus = reserved.MilliCpus;
        if (flags.ReserveMemory is { } m && !Quantity.TryParseMemory(m, out memory))
        {
            errors.Add($"--reserve-memory '{m}': use a size such as 512Mi or 1Gi");
        }

        if (flags.ReserveCpus is { } c && !(c.Trim() == "0" || Quantity.TryParseCpus(c, out cpus)))
        {
            errors.Add($"--reserve-cpus '{c}': use a number of cores such as 0.5");
        }

        return new NodeCapacity(flags.ReserveCpus?.Trim() == "0" ? 0 : cpus, memory);
    }
}

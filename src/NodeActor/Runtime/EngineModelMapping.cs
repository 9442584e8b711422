using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>Maps Docker API models onto the runtime port's records.</summary>
internal static class EngineModelMapping
{
    /// <summary>The names placement constraints use (<c>arch == arm64</c>), whatever the engine reports.</summary>
    public static string NormaliseArchitecture(string? architecture) => architecture?.Trim().ToLowerInvariant() switch
    {
        "x86_64" or "amd64" or "x64" => "amd64",
        "aarch64" or "arm64" or "arm64v8" => "arm64",
        null or "" => "unknown",
        var other => other,
    };

    public static EngineInfo ToEngineInfo(SystemInfoResponse info, VersionResponse version) => new(
        checked((int)info.NCPU),
        info.MemTotal,
        NormaliseArchitecture(info.Architecture),
        version.Version ?? "unknown");

    public static ContainerDetails ToDetails(ContainerInspectResponse c)
    {
        var state = c.State ?? new ContainerState();
        var neverRan = state.Status is "created" or "configured";
        return new ContainerDetails(
            c.ID,
            c.Name?.TrimStart('/') ?? "",
            state.Status ?? "unknown",
            state.Running,
            neverRan ? null : state.ExitCode,
            state.OOMKilled,
            ToDictionary(c.Config?.Labels),
            c.Config?.Env?.ToList() ?? [],
            c.HostConfig?.Memory ?? 0,
            NanoCpus(c.HostConfig));
    }

    public static ManagedContainer ToManaged(ContainerListResponse c) => new(
        c.ID,
        c.Names?.FirstOrDefault()?.TrimStart('/') ?? "",
        c.State ?? "unknown",
        ToDictionary(c.Labels));

    /// <summary>Some engines report a CPU limit only as a CFS quota and period.</summary>
    private static long NanoCpus(HostConfig? host) => host switch
    {
        null => 0,
        { NanoCPUs: > 0 } => host.NanoCPUs,
        { CPUQuota: > 0, CPUPeriod: > 0 } => host.CPUQuota * 1_000_000_000L / host.CPUPeriod,
        _ => 0,
    };

    private static Dictionary<string, string> ToDictionary(IDictionary<string, string>? labels) =>
        labels is null ? [] : new Dictionary<string, string>(labels);
}

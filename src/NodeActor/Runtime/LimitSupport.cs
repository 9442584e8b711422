using System.Text.Json;

namespace Sched.NodeActor.Runtime;

/// <summary>Whether a podman, by the <c>host</c> part of its libpod info, can enforce sched's memory and CPU limits.</summary>
public static class LimitSupport
{
    private static readonly string[] Needed = ["memory", "cpu"];

    /// <summary>Null when it can; otherwise the reason, and what the owner can do about it.</summary>
    public static string? Judge(JsonElement host)
    {
        var rootless = host.TryGetProperty("security", out var security)
            && security.TryGetProperty("rootless", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (!rootless)
        {
            return null;
        }

        var version = host.TryGetProperty("cgroupVersion", out var v) ? v.GetString() : null;
        if (version != "v2")
        {
            return $"rootless podman on cgroup {version ?? "v1"} cannot enforce memory or CPU limits; run the agent against "
                + "rootful podman, or boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1)";
        }

        var controllers = host.TryGetProperty("cgroupControllers", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var missing = Needed.Where(n => !controllers.Contains(n)).ToList();
        return missing.Count == 0
            ? null
            : $"rootless podman has no {string.Join(" or ", missing)} cgroup controller delegated, so it cannot enforce "
                + "limits; delegate them to the user (systemd: Delegate=memory cpu pids in user@.service)";
    }
}

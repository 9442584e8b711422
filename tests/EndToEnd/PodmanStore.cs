using System.Text.Json;

namespace Sched.EndToEnd;

/// <summary>A container as podman itself reports it: the ground truth the tests compare sched's view with.</summary>
public sealed record PodmanContainer(string Name, string State, IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, string> Labels, long Memory, long NanoCpus);

/// <summary>
/// Reads a podman store: the machine's default one, or another through <c>podman</c> (for example one node's store of
/// a local cluster, <c>args =&gt; cluster.Podman("node2", args)</c>).
/// </summary>
public static class PodmanStore
{
    public static async Task<IReadOnlyList<PodmanContainer>> ContainersOfJob(string jobId, Func<string[], Task<ProcessResult>>? podman = null)
    {
        podman ??= Processes.Podman;
        for (var attempt = 1; ; attempt++)
        {
            var names = await podman(["ps", "-a", "--filter", $"label=sched.job={jobId}", "--format", "{{.Names}}"]);
            Assert.True(names.ExitCode == 0, names.ToString());
            var list = names.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (list.Length == 0)
            {
                return [];
            }

            var inspect = await podman(["inspect", .. list]);
            if (inspect.ExitCode != 0 && attempt < 5 && (inspect.Stderr.Contains("no such container", StringComparison.Ordinal) || inspect.Stderr.Contains("no such object", StringComparison.Ordinal)))
            {
                continue; // removed between ps and inspect (sched stopping the job): read the store again
            }

            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            return Parse(inspect.Stdout);
        }
    }

    private static List<PodmanContainer> Parse(string inspectJson)
    {
        using var doc = JsonDocument.Parse(inspectJson);
        return doc.RootElement.EnumerateArray().Select(c => new PodmanContainer(
            c.GetProperty("Name").GetString()!.TrimStart('/'),
            c.GetProperty("State").GetProperty("Status").GetString()!,
            c.GetProperty("Config").GetProperty("Env").EnumerateArray()
                .Select(e => e.GetString()!.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
            c.GetProperty("Config").GetProperty("Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            c.GetProperty("HostConfig").GetProperty("Memory").GetInt64(),
            c.GetProperty("HostConfig").GetProperty("NanoCpus").GetInt64())).ToList();
    }

    public static async Task<string> Logs(string container, Func<string[], Task<ProcessResult>>? podman = null)
    {
        var logs = await (podman ?? Processes.Podman)(["logs", container]);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        return logs.Stdout + logs.Stderr;
    }
}

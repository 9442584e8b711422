using System.Text.Json;

namespace Sched.EndToEnd.Durability;

public sealed record ShardOutcome(int Shard, string Status, int Attempt, string? Node, string? ContainerId, long? ExitCode)
{
    public override string ToString() => $"{Shard}:{Status}/a{Attempt}@{Node ?? "-"}{(ExitCode is { } code ? $" exit {code}" : "")}{(ContainerId is { } id ? $" {id[..Math.Min(12, id.Length)]}" : "")}";
}

/// <summary>A job as GET /v1/jobs reports it, reduced to what a restart must keep.</summary>
public sealed record JobOutcome(string Id, string Status, IReadOnlyList<ShardOutcome> Shards)
{
    public bool Finished => Status is "complete" or "failed" or "stopped";

    public static JobOutcome From(JsonElement job) => new(
        job.GetProperty("id").GetString()!,
        job.GetProperty("status").GetString()!,
        [.. job.GetProperty("shards").EnumerateArray().Select(s => new ShardOutcome(
            s.GetProperty("shard").GetInt32(),
            s.GetProperty("status").GetString()!,
            s.GetProperty("attempt").GetInt32(),
            s.GetProperty("node").GetString(),
            s.GetProperty("containerId").GetString(),
            s.GetProperty("exitCode").ValueKind == JsonValueKind.Number ? s.GetProperty("exitCode").GetInt64() : null))]);

    public static IReadOnlyList<JobOutcome> All(IEnumerable<JsonElement> jobs) => [.. jobs.Select(From)];

    public override string ToString() => $"{Id} {Status} [{string.Join(", ", Shards)}]";

    /// <summary>
    /// What changed from <paramref name="before"/> to <paramref name="after"/> that a restart must not change: a job
    /// gone; a finished job (complete, failed, stopped) whose state or any shard's state, attempt, node or exit code
    /// differs; a running shard not running in the same container (not adopted); a pending job no longer pending.
    /// With <paramref name="live"/> (the names of the containers that really ran), a shard the scheduler believed
    /// running in a container that did not run need only be running again, in any container.
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<JobOutcome> before, IReadOnlyList<JobOutcome> after, IReadOnlySet<string>? live = null)
    {
        var now = after.ToDictionary(j => j.Id);
        var differences = new List<string>();
        foreach (var job in before)
        {
            if (!now.TryGetValue(job.Id, out var later))
            {
                differences.Add($"{job.Id} ({job.Status}) is gone");
                continue;
            }

            if (later.Status != job.Status)
            {
                differences.Add($"{job.Id} was {job.Status}, is {later.Status}: {later}");
                continue;
            }

            foreach (var shard in job.Shards.Where(s => job.Finished || s.Status == "running"))
            {
                var same = later.Shards.Single(s => s.Shard == shard.Shard);
                var ran = job.Finished || live is null || live.Contains($"sched-{job.Id}-{shard.Shard}-{shard.Attempt}");
                var kept = !ran ? same.Status == "running"
                    : job.Finished
                    ? (same.Status, same.Attempt, same.Node, same.ExitCode) == (shard.Status, shard.Attempt, shard.Node, shard.ExitCode)
                    : (same.Status, same.Attempt, same.Node, same.ContainerId) == (shard.Status, shard.Attempt, shard.Node, shard.ContainerId);
                if (!kept)
                {
                    differences.Add($"{job.Id} shard {shard.Shard} was {shard}, is {same}");
                }
            }
        }

        return differences;
    }
}

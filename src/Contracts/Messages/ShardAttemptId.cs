namespace Sched.Contracts.Messages;

/// <summary>One container run: shard <see cref="Shard"/> (1-based) of a job, attempt <see cref="Attempt"/> (1-based).</summary>
public sealed record ShardAttemptId(string JobId, int Shard, int Attempt)
{
    /// <summary>The container name every attempt gets: sched-&lt;job&gt;-&lt;shard&gt;-&lt;attempt&gt;.</summary>
    public string ContainerName => $"sched-{JobId}-{Shard}-{Attempt}";

    public override string ToString() => $"{JobId}/{Shard}#{Attempt}";

    /// <summary>Reads a container name back; the job id may itself contain dashes.</summary>
    public static ShardAttemptId? FromContainerName(string name)
    {
        var parts = name.Split('-');
        return parts.Length >= 4 && parts[0] == "sched"
            && int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shard)
            && int.TryParse(parts[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var attempt)
                ? new ShardAttemptId(string.Join('-', parts[1..^2]), shard, attempt)
                : null;
    }
}

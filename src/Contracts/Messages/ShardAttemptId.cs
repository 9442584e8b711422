namespace Sched.Contracts.Messages;

/// <summary>One container run: shard <see cref="Shard"/> (1-based) of a job, attempt <see cref="Attempt"/> (1-based).</summary>
public sealed record ShardAttemptId(string JobId, int Shard, int Attempt)
{
    /// <summary>The container name every attempt gets: sched-&lt;job&gt;-&lt;shard&gt;-&lt;attempt&gt;.</summary>
    public string ContainerName => $"sched-{JobId}-{Shard}-{Attempt}";

    public override string ToString() => $"{JobId}/{Shard}#{Attempt}";
}

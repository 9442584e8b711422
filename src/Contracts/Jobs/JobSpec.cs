using System.Collections.Immutable;

namespace Sched.Contracts.Jobs;

/// <summary>A validated job manifest: every value here has been checked and normalised.</summary>
public sealed record JobSpec(
    string Name,
    string Image,
    ImmutableArray<string> Command,
    ImmutableSortedDictionary<string, string> Env,
    int Shards,
    JobType Type,
    ShardResources Resources,
    RestartPolicy Restart,
    PlacementRules Placement,
    ContainerOptions? Container = null,
    int? MaxFailedShards = null,
    TimeSpan? Timeout = null,
    int? Parallel = null,
    JobDependencies? After = null,
    TimeSpan? Deadline = null,
    JobSchedule? Schedule = null)
{
    /// <summary>The container's run options; <see cref="ContainerOptions.None"/> when the manifest sets none.</summary>
    public ContainerOptions ContainerOrNone => Container ?? ContainerOptions.None;

    /// <summary>A periodic job holds no shards itself: each occurrence of its schedule starts a run, a job of its own.</summary>
    public bool IsPeriodic => Schedule is not null;

    /// <summary>The job one occurrence starts: this one without its schedule.</summary>
    public JobSpec ForOneRun() => this with { Schedule = null };
}

public enum JobType { Batch, Service }

/// <summary>
/// Jobs this one waits for: each of Succeeded must complete (if one fails or is stopped, this job is cancelled),
/// each of Ended must end in any way. Only jobs that exist can be named, so no cycle can form.
/// </summary>
public sealed record JobDependencies(ImmutableArray<string> Succeeded, ImmutableArray<string> Ended)
{
    public IEnumerable<string> All => Succeeded.Concat(Ended);

    /// <summary>By value (an array compares by reference).</summary>
    public bool Equals(JobDependencies? other) =>
        other is not null && Succeeded.SequenceEqual(other.Succeeded) && Ended.SequenceEqual(other.Ended);

    public override int GetHashCode() => HashCode.Combine(Succeeded.Length, Ended.Length);
}

/// <summary>Per-shard limits. CPU is counted in thousandths of a core so placement sums stay exact.</summary>
public sealed record ShardResources(long MemoryBytes, int MilliCpus)
{
    public long NanoCpus => MilliCpus * 1_000_000L;
}

public enum RestartMode { OnFailure, Always, Never }

/// <summary>
/// Attempts counts restarts after the first run, as podman's <c>--restart on-failure:N</c> does. An exit code in
/// FailOn fails the shard at once: the program said that another attempt would not help.
/// </summary>
public sealed record RestartPolicy(RestartMode Mode, int Attempts, TimeSpan Backoff, ImmutableArray<int> FailOn = default)
{
    public bool FailsAt(long exitCode) => !FailOn.IsDefault && exitCode is >= 1 and <= 255 && FailOn.Contains((int)exitCode);

    /// <summary>By value, FailOn too (an array compares by reference; none and an empty list are the same).</summary>
    public bool Equals(RestartPolicy? other) =>
        other is not null && Mode == other.Mode && Attempts == other.Attempts && Backoff == other.Backoff
        && FailOn.IsDefaultOrEmpty == other.FailOn.IsDefaultOrEmpty
        && (FailOn.IsDefaultOrEmpty || FailOn.SequenceEqual(other.FailOn));

    public override int GetHashCode() => HashCode.Combine(Mode, Attempts, Backoff, FailOn.IsDefaultOrEmpty ? 0 : FailOn.Length);
}

public enum PlacementStrategy { Spread, Binpack }

public sealed record PlacementRules(
    PlacementStrategy Strategy,
    int? MaxShardsPerNode,
    ImmutableArray<PlacementConstraint> Constraints);

public enum ConstraintOperator { Equal, NotEqual }

/// <summary>A rule such as <c>node != node1</c> or <c>arch == arm64</c>, over the node name and node labels.</summary>
public sealed record PlacementConstraint(string Attribute, ConstraintOperator Operator, string Value)
{
    public override string ToString() =>
        $"{Attribute} {(Operator == ConstraintOperator.Equal ? "==" : "!=")} {Value}";
}

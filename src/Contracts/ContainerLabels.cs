namespace Sched.Contracts;

/// <summary>The labels every container sched starts carries. Containers without <see cref="Managed"/> are never touched.</summary>
public static class ContainerLabels
{
    public const string Managed = "sched.managed";
    public const string Job = "sched.job";
    public const string Shard = "sched.shard";
    public const string Attempt = "sched.attempt";

    /// <summary>The cluster that started the container: an agent sees and touches only its own cluster's containers.</summary>
    public const string Cluster = "sched.cluster";

    /// <summary>Labels sched sets itself; a job's own labels never override them.</summary>
    public const string Prefix = "sched.";
}

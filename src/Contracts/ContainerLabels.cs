namespace Sched.Contracts;

/// <summary>The labels every container sched starts carries. Containers without <see cref="Managed"/> are never touched.</summary>
public static class ContainerLabels
{
    public const string Managed = "sched.managed";
    public const string Job = "sched.job";
    public const string Shard = "sched.shard";
    public const string Attempt = "sched.attempt";
}

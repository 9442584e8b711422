using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Agent;

/// <summary>What managed containers a node has, read from their labels, for the scheduler to reconcile.</summary>
public static class ContainerInventory
{
    public static async Task<ImmutableArray<ContainerReport>> TakeAsync(IContainerRuntime runtime, CancellationToken ct)
    {
        var reports = ImmutableArray.CreateBuilder<ContainerReport>();
        foreach (var container in await runtime.ListManagedAsync(ct))
        {
            if (AttemptOf(container.Labels) is not { } id)
            {
                continue;
            }

            var running = container.State == "running";
            var neverStarted = NeverStarted(container.State);
            var details = running || neverStarted ? null : await runtime.InspectAsync(container.Id, ct);
            reports.Add(new ContainerReport(id, container.Id, running, details?.ExitCode, details?.OomKilled ?? false, neverStarted));
        }

        return reports.ToImmutable();
    }

    /// <summary>podman's states of a container created and not yet started.</summary>
    public static bool NeverStarted(string state) => state is "created" or "configured";

    public static ShardAttemptId? AttemptOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(ContainerLabels.Job, out var job)
        && int.TryParse(labels.GetValueOrDefault(ContainerLabels.Shard), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
        && int.TryParse(labels.GetValueOrDefault(ContainerLabels.Attempt), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            ? new ShardAttemptId(job, shard, attempt)
            : null;
}

namespace Sched.EndToEnd;

public sealed partial class LocalClusterSpecs
{
    [Fact]
    public async Task A_dev_agent_on_the_podman_socket_of_a_cluster_node_leaves_the_nodes_running_containers_alone()
    {
        await OnlyTheInitialNodesAreUp();
        var jobId = await cluster.RunService(3);
        await StoppedAfterwards(jobId, async () =>
        {
            await cluster.WaitAllRunning(jobId, 3, Patience);
            var before = (await cluster.ContainersOfJob("node2", jobId)).Where(c => c.Running).Select(c => c.Id).Order().ToList();
            Assert.NotEmpty(before);

            await using var intruder = DevAgent.OnSocket(cluster.Socket("node2"), "intruder");
            await intruder.StartAsync();
            string? Reconciled() => intruder.IncarnationLog.Split('\n').FirstOrDefault(l => l.Contains("reconciled node intruder", StringComparison.Ordinal));
            await Wait.Until(() => Reconciled() is not null, Patience, "the dev agent's scheduler reconciled its node", () => Task.FromResult(intruder.IncarnationLog));
            var reconciled = Reconciled()!;

            // Before cluster ids the dev scheduler was told of node2's containers and removed every one of them.
            Assert.Contains("0 containers kept, 0 removed", reconciled, StringComparison.Ordinal);
            await intruder.StopAsync();
            var after = (await cluster.ContainersOfJob("node2", jobId)).Where(c => c.Running).Select(c => c.Id).Order().ToList();
            Assert.Equal(before, after);
        });
    }
}

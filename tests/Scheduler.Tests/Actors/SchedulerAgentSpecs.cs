using Akka.Actor;
using Sched.Contracts;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Actors;
using Sched.Tests.Fakes;
using Serilog;
using Xunit.Abstractions;

namespace Sched.Scheduler.Tests.Actors;

/// <summary>The scheduler and one node agent in one actor system, over an in-memory container engine.</summary>
public sealed class SchedulerAgentSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private readonly FakeRuntime _runtime = new();
    private readonly IActorRef _scheduler;

    public SchedulerAgentSpecs(ITestOutputHelper output)
        : base(output: output)
    {
        _scheduler = Sys.ActorOf(SchedulerActor.Props(TimeProvider.System, new Random(7), Silent, SchedulerSettings.WithoutCluster), "scheduler");
        var options = AgentOptions.For("node1") with { ReportInterval = TimeSpan.FromMilliseconds(200) };
        Sys.ActorOf(NodeAgent.Props(_runtime, _scheduler, options, Silent), "agent");
    }

    [Fact]
    public async Task Seven_shards_all_succeed_and_each_container_gets_its_shard_environment_labels_and_limits()
    {
        var job = await Submit("image: my-processor\nshards: 7\nresources: {memory: 64Mi, cpus: 0.25}");

        var done = await WaitFor(job.Id, j => j.Status == JobStatus.Complete);

        Assert.All(done.Shards, s => Assert.Equal((ShardStatus.Succeeded, "node1", 0L), (s.Status, s.Node, s.ExitCode ?? -1)));
        var containers = _runtime.Containers.OrderBy(c => int.Parse(c.Spec.Env["SHARD"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}"), containers.Select(c => c.Spec.Env["SHARD"]));
        Assert.All(containers, c =>
        {
            var shard = int.Parse(c.Spec.Env["SHARD"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"{shard - 1}", c.Spec.Env["SHARD_INDEX"]);
            Assert.Equal("7", c.Spec.Env["SHARD_COUNT"]);
            Assert.Equal(job.Id, c.Spec.Env["SCHED_JOB"]);
            Assert.Equal("node1", c.Spec.Env["SCHED_NODE"]);
            Assert.Equal($"sched-{job.Id}-{shard}-1", c.Spec.Name);
            Assert.Equal("true", c.Spec.Labels[ContainerLabels.Managed]);
            Assert.Equal(job.Id, c.Spec.Labels[ContainerLabels.Job]);
            Assert.Equal($"{shard}", c.Spec.Labels[ContainerLabels.Shard]);
            Assert.Equal("1", c.Spec.Labels[ContainerLabels.Attempt]);
            Assert.Equal(64L * 1024 * 1024, c.Spec.MemoryBytes);
            Assert.Equal(250_000_000L, c.Spec.NanoCpus);
        });
    }

    [Fact]
    public async Task A_shard_exiting_3_without_restarts_fails_the_job_with_its_exit_code()
    {
        _runtime.ExitCodeFor = spec => spec.Env["SHARD"] == "2" ? 3 : 0;

        var job = await Submit("image: my-processor\nshards: 3\nrestart: {policy: never}");
        var done = await WaitFor(job.Id, j => j.Status == JobStatus.Failed);

        var failed = Assert.Single(done.Shards, s => s.Status == ShardStatus.Failed);
        Assert.Equal((2, 3L, "exit code 3 after 1 attempt"), (failed.Shard, failed.ExitCode, failed.Reason));
        Assert.Equal(2, done.Shards.Count(s => s.Status == ShardStatus.Succeeded));
        Assert.Contains("shard 2 failed", done.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_and_the_second_attempt_completes_the_job()
    {
        _runtime.ExitCodeFor = spec => spec.Labels[ContainerLabels.Attempt] == "1" ? 1 : 0;

        var job = await Submit("image: my-processor\nshards: 2\nrestart: {policy: on-failure, attempts: 2, backoff: 10ms}");
        var done = await WaitFor(job.Id, j => j.Status == JobStatus.Complete);

        Assert.All(done.Shards, s => Assert.Equal((ShardStatus.Succeeded, 2), (s.Status, s.Attempt)));
        Assert.Equal(4, _runtime.Containers.Count);
    }

    [Fact]
    public async Task Stopping_a_job_removes_its_containers_and_never_touches_unmanaged_ones()
    {
        _runtime.Hold = true;
        var job = await Submit("image: my-processor\nshards: 3");
        await WaitFor(job.Id, j => j.Shards.All(s => s.Status == ShardStatus.Running));
        var foreign = _runtime.AddForeign($"sched-{job.Id}-9-1", new Dictionary<string, string> { [ContainerLabels.Job] = job.Id });

        var stopped = (await _scheduler.Ask<JobReply>(new StopJob(job.Id), RemainingOrDefault)).Job!;

        Assert.Equal(JobStatus.Stopped, stopped.Status);
        await AwaitAssertAsync(() => Assert.Equal([foreign.Id], _runtime.Containers.Select(c => c.Id)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_job_asking_more_memory_than_the_node_has_stays_pending_with_the_reason()
    {
        var job = await Submit("image: my-processor\nresources: {memory: 8Gi}");

        var pending = await WaitFor(job.Id, j => j.Shards[0].Reason is not null);

        Assert.Equal(JobStatus.Pending, pending.Status);
        Assert.Equal("needs 8Gi memory; largest free is 3.5Gi on node1", pending.Shards[0].Reason);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task A_node_whose_engine_is_down_gets_no_shards_until_the_engine_answers_again()
    {
        _runtime.Down = new InvalidOperationException("podman API socket /run/podman/podman.sock is not answering");
        await AwaitAssertAsync(async () =>
        {
            var nodes = await _scheduler.Ask<NodeListReply>(GetNodes.Instance, RemainingOrDefault);
            Assert.Equal(NodeStatus.Unhealthy, Assert.Single(nodes.Nodes).Status);
        }, TimeSpan.FromSeconds(10));

        var job = await Submit("image: my-processor");
        var pending = await WaitFor(job.Id, j => j.Shards[0].Reason is not null);
        Assert.Contains("1 node unhealthy (node1)", pending.Shards[0].Reason, StringComparison.Ordinal);

        _runtime.Down = null;
        await WaitFor(job.Id, j => j.Status == JobStatus.Complete);
    }

    private async Task<JobView> Submit(string yaml)
    {
        var manifest = ManifestParser.Parse(yaml, ManifestFormat.Yaml);
        Assert.True(manifest.IsValid, string.Join("; ", manifest.Errors));
        await AwaitAssertAsync(async () =>
            Assert.NotEmpty((await _scheduler.Ask<NodeListReply>(GetNodes.Instance, RemainingOrDefault)).Nodes), TimeSpan.FromSeconds(10));
        return (await _scheduler.Ask<JobReply>(new SubmitJob(manifest.Spec!), RemainingOrDefault)).Job!;
    }

    private async Task<JobView> WaitFor(string jobId, Func<JobView, bool> condition)
    {
        JobView? job = null;
        await AwaitConditionAsync(async () =>
        {
            job = (await _scheduler.Ask<JobReply>(new GetJob(jobId), RemainingOrDefault)).Job;
            return job is not null && condition(job);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        return job!;
    }
}

using Akka.Actor;
using Akka.TestKit;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Actors;
using Sched.Scheduler.Decisions.State;
using Serilog;
using Xunit.Abstractions;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Actors;

/// <summary>
/// The scheduler and a probe in the place of node1's agent, which acknowledges starts or not: a start nobody
/// acknowledged is sent again unchanged, and given up after the deadline, its attempt placed again.
/// </summary>
public sealed class StartAcknowledgementSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly ILogger Silent = new LoggerConfiguration().CreateLogger();
    private static readonly StartAckTimings Timings = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4));

    /// <summary>Generous: the CI machine is a loaded 2-core VM; nothing here measures time.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly IActorRef _scheduler;
    private readonly TestProbe _agent;

    public StartAcknowledgementSpecs(ITestOutputHelper output)
        : base(output: output)
    {
        _scheduler = Sys.ActorOf(SchedulerActor.Props(TimeProvider.System, new Random(7), Silent, SchedulerSettings.WithoutCluster with { StartAck = Timings }));
        _agent = CreateTestProbe();
        _agent.Send(_scheduler, Report("node1"));
        _agent.ExpectMsg<NodeRegistered>(Patience);
    }

    [Fact]
    public async Task A_start_the_agent_did_not_acknowledge_is_sent_again_unchanged_until_it_does()
    {
        var jobId = await Submit();

        var first = await NextRunShard();
        var again = await NextRunShard();
        _agent.Reply(new ShardAccepted(again.Id, "node1"));
        _agent.Reply(new ShardStarted(again.Id, "node1", "c-1"));

        Assert.Equal(new ShardAttemptId(jobId, 1, 1), first.Id);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Env, again.Env);
        var job = await WaitFor(jobId, j => j.Shards[0].Status == ShardStatus.Running);
        Assert.Equal(1, job.Shards[0].Attempt);
        await Task.Delay(Timings.Deadline * 2);
        var later = await WaitFor(jobId, _ => true);
        Assert.Equal((ShardStatus.Running, 1, 0), (later.Shards[0].Status, later.Shards[0].Attempt, later.Shards[0].Losses));
    }

    [Fact]
    public async Task A_start_never_acknowledged_is_lost_at_the_deadline_its_container_removed_and_the_next_attempt_started()
    {
        var jobId = await Submit();
        var first = await NextRunShard();

        var stop = (StopShard)await _agent.FishForMessageAsync(m => m is StopShard, Patience);
        var next = (RunShard)await _agent.FishForMessageAsync(m => m is RunShard r && r.Id != first.Id, Patience);

        Assert.Equal(first.Id, stop.Id);
        Assert.Equal(new ShardAttemptId(jobId, 1, 2), next.Id);
        var job = await WaitFor(jobId, j => j.Shards[0].Attempt == 2);
        Assert.Equal(1, job.Shards[0].Losses);
    }

    [Fact]
    public async Task A_late_start_of_a_lost_attempt_is_told_to_stop_and_does_not_count()
    {
        var jobId = await Submit();
        var first = await NextRunShard();
        var next = (RunShard)await _agent.FishForMessageAsync(m => m is RunShard r && r.Id != first.Id, Patience);
        _agent.Reply(new ShardAccepted(next.Id, "node1"));

        _agent.Send(_scheduler, new ShardStarted(first.Id, "node1", "late"));

        var stop = (StopShard)await _agent.FishForMessageAsync(m => m is StopShard s && s.Id == first.Id, Patience);
        Assert.Equal(first.Id, stop.Id);
        var job = await WaitFor(jobId, _ => true);
        Assert.Equal((ShardStatus.Placed, 2, (string?)null), (job.Shards[0].Status, job.Shards[0].Attempt, job.Shards[0].ContainerId));
    }

    private async Task<string> Submit()
    {
        var manifest = ManifestParser.Parse("image: my-processor\nshards: 1", ManifestFormat.Yaml);
        return (await _scheduler.Ask<JobReply>(new SubmitJob(manifest.Spec!), Patience)).Job!.Id;
    }

    private async Task<RunShard> NextRunShard() =>
        (RunShard)await _agent.FishForMessageAsync(m => m is RunShard, Patience);

    private async Task<JobView> WaitFor(string jobId, Func<JobView, bool> condition)
    {
        JobView? job = null;
        await AwaitConditionAsync(async () =>
        {
            job = (await _scheduler.Ask<JobReply>(new GetJob(jobId), Patience)).Job;
            return job is not null && condition(job);
        }, Patience, TimeSpan.FromMilliseconds(50));
        return job!;
    }
}

using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>Every container gets the shard environment, the sched labels and a name that says which attempt it is.</summary>
public class ShardLaunchSpecs
{
    private static readonly ImmutableSortedDictionary<string, string> JobEnv =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("INPUT", "/data/in")]);

    private static RunShard Launch(int shard, int attempt, ImmutableSortedDictionary<string, string>? env = null)
    {
        var state = Submitted(Spec(shards: 7, env: env ?? JobEnv, memory: 512 * Mi, milliCpus: 250));
        return ShardLaunches.For(state.Job(JobId)!, Attempt(shard, attempt), "node4");
    }

    [Fact]
    public void Shard_3_of_7_must_get_SHARD_3_SHARD_INDEX_2_SHARD_COUNT_7_and_the_job_env()
    {
        var run = Launch(3, 1);

        Assert.Equal("3", run.Env["SHARD"]);
        Assert.Equal("2", run.Env["SHARD_INDEX"]);
        Assert.Equal("7", run.Env["SHARD_COUNT"]);
        Assert.Equal(JobId, run.Env["SCHED_JOB"]);
        Assert.Equal("node4", run.Env["SCHED_NODE"]);
        Assert.Equal("/data/in", run.Env["INPUT"]);
        Assert.Equal(6, run.Env.Count);
    }

    [Fact]
    public void The_shards_values_are_filled_into_mount_sources_env_values_and_arguments_and_its_own_line_is_appended()
    {
        var options = ContainerOptions.None with
        {
            Volumes = [new VolumeMount("/data/out/${SHARD}", "/out", false), new VolumeMount("/data/in/${SCHED_NODE}", "/in", true)],
            ShardArgs = ["--part a", "--part   b  c"],
        };
        var spec = Spec(shards: 2, env: JobEnv.Add("OUT", "/out/${SHARD_INDEX}-of-${SHARD_COUNT}")) with { Command = ["process", "--job", "${SCHED_JOB}", "${HOME}"], Container = options };

        var run = ShardLaunches.For(Submitted(spec).Job(JobId)!, Attempt(2, 1), "node4");

        Assert.Equal(["process", "--job", JobId, "${HOME}", "--part", "b", "c"], run.Command.ToArray());
        Assert.Equal("/out/1-of-2", run.Env["OUT"]);
        Assert.Equal(["/data/out/2", "/data/in/node4"], run.Container!.Volumes.Select(v => v.Source));
        Assert.Empty(run.Container.ShardArgs);
    }

    [Fact]
    public void Extra_labels_go_to_the_container_and_never_replace_sched_labels()
    {
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("team", "data")]);
        var spec = Spec() with { Container = ContainerOptions.None with { Labels = labels } };

        var run = ShardLaunches.For(Submitted(spec).Job(JobId)!, Attempt(1, 1), "node4");

        Assert.Equal("data", run.Labels["team"]);
        Assert.Equal(JobId, run.Labels["sched.job"]);
    }

    [Fact]
    public void The_shard_variables_must_win_over_a_job_env_of_the_same_name()
    {
        var run = Launch(1, 1, JobEnv.Add("SHARD", "99"));

        Assert.Equal("1", run.Env["SHARD"]);
    }

    [Fact]
    public void Every_container_must_carry_the_sched_labels()
    {
        var run = Launch(3, 2);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["sched.managed"] = "true",
                ["sched.job"] = JobId,
                ["sched.shard"] = "3",
                ["sched.attempt"] = "2",
            },
            run.Labels);
    }

    [Fact]
    public void The_container_must_be_named_sched_job_shard_attempt()
    {
        var run = Launch(3, 2);

        Assert.Equal($"sched-{JobId}-3-2", run.Id.ContainerName);
    }

    [Fact]
    public void The_launch_must_carry_the_image_command_and_limits_of_the_job()
    {
        var run = Launch(1, 1);

        Assert.Equal("proc:latest", run.Image);
        Assert.Equal(["/bin/process", "--verbose"], run.Command.ToArray());
        Assert.Equal((512 * Mi, 250), (run.MemoryBytes, run.MilliCpus));
    }
}

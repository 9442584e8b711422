using System.Collections.Immutable;
using System.Security.Cryptography;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>
/// A realistic instance of every message, with every field set somewhere (SampleCoverage checks that).
/// A new ISchedMessage type or field makes SchedMessageSerializerTests fail until it appears here.
/// </summary>
internal static class SchedMessageSamples
{
    public const string FullManifest = """
        name: my-processor
        image: registry.local/my-processor:1.4
        command: ["/bin/process", "--verbose"]
        args: ["--batch", "large"]
        env: { INPUT: /data/in, OUTPUT: /data/out, Zeta: last, alpha: lower }
        shards: 7
        type: service
        resources: { memory: 256Mi, cpus: 0.5 }
        restart: { policy: always, attempts: 3, backoff: 1m2s500ms, failOn: [2, 64] }
        maxFailedShards: 2
        timeout: 1h30m
        deadline: 6h
        parallel: 3
        after: [extract-0a1b2c]
        afterAny: [cleanup-3d4e5f]
        placement:
          strategy: binpack
          maxShardsPerNode: 2
          constraints: ["node != node1", "arch == arm64"]
        volumes: ["/data/in:/in:ro", "/data/out/${SHARD}:/out", "cache:/cache"]
        ports: ["18080:80", "5353/udp"]
        shardArgs: ["part-a", "part-b", "part-c", "part-d", "part-e", "part-f", "part-g --last"]
        network: backend
        user: "1000:1000"
        workdir: /w
        pidsLimit: 64
        readOnly: true
        tmpfs: ["/tmp", "/run:size=64m"]
        stopTimeout: 30s
        stopSignal: SIGINT
        labels: { team: data }
        """;

    private static readonly DateTimeOffset Submitted = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(1));

    public static JobSpec FullSpec { get; } =
        ManifestParser.Parse(FullManifest, ManifestFormat.Yaml).Spec
        ?? throw new InvalidOperationException("The sample manifest no longer parses.");

    /// <summary>A periodic job: the full spec on a schedule (which cannot go with after).</summary>
    public static JobSpec PeriodicSpec { get; } = FullSpec with { After = null, Schedule = new JobSchedule("0 3 * * *", "Europe/Berlin", AllowOverlap: true) };

    private static HeldImage Image { get; } =
        new("sha256:" + ContainerId(7), ["localhost/my-processor:latest", "localhost/my-processor:1.4"], "arm64", 2137088);

    public static ImmutableArray<ISchedMessage> All { get; } =
    [
        new SubmitJob(FullSpec, "cli-3f9c2a"),
        GetJobs.Instance,
        new GetJobs(50, "639002880000000000.j-7f3a"),
        new GetJob("j-7f3a"),
        new StopJob("j-7f3a"),
        GetNodes.Instance,
        new JobReply(Job("j-7f3a", 7)),
        new JobReply(Job("j-81c0", 2), "accepted, but not yet confirmed by a majority of scheduler nodes"),
        new JobReply(new JobView("nightly-1c2d3e", PeriodicSpec, JobStatus.Scheduled, "next run at 2025-03-15 02:00:00 UTC", Submitted, [],
            new PeriodicRunsView(Submitted.AddHours(17), Submitted.AddHours(-7), "nightly-4a5b6c"))),
        new JobReply(Job("nightly-4a5b6c", 1) with { RunOf = new PeriodicRunView("nightly-1c2d3e", Submitted.AddHours(-7)) }),
        new JobListReply([Job("j-7f3a", 7), Job("j-81c0", 2)]),
        new JobListReply([Job("j-7f3a", 7)], "639002880000000000.j-7f3a"),
        new NodeListReply([Node(2), Node(3) with { Status = NodeStatus.Unhealthy, StatusReason = "podman socket down" }]),
        new RegisterNode(
            "node3", "akka.tcp://sched@node3.local:4053", new NodeCapacity(4000, 8L << 30), new NodeCapacity(3500, 7680L << 20),
            Labels(("arch", "arm64"), ("zone", "rack-2")), true, "podman 5.4.1 at /run/podman/podman.sock"),
        new NodeRegistered("node3", true),
        new ReportNow("the scheduler moved to node2"),
        new NodeContainers("node3", [Running(3, 2), Exited(5, 1), Running(6, 1) with { Running = false, NeverStarted = true }], [new ShardAttemptId("j-7f3a", 4, 1)]),
        new ReconcileVerdict([Running(3, 2)], [Exited(5, 1), Running(6, 1)]),
        RunShard(new ShardAttemptId("j-7f3a", 3, 2)),
        new ShardAccepted(new ShardAttemptId("j-7f3a", 3, 2), "node3"),
        new StopShard(new ShardAttemptId("j-7f3a", 3, 2)),
        new RemoveJobContainers("j-7f3a"),
        new ScaleJob("j-7f3a", 4),
        new PlanJob(FullSpec),
        new RerunJob("j-7f3a", [2, 5]),
        new RerunJob("j-7f3a"),
        new RerunReply(Job("j-7f3a", 7)),
        new RerunReply(null, RerunRefusal.NoSuchShard, "job j-7f3a has shards 1 to 7; there is no shard 9"),
        new ShardStarted(new ShardAttemptId("j-7f3a", 3, 2), "node3", ContainerId(3), Ports(("5353/udp", 41_234), ("80/tcp", 18_080))),
        new ShardExited(new ShardAttemptId("j-7f3a", 3, 2), "node3", 137, true),
        new ShardExited(new ShardAttemptId("j-7f3a", 4, 1), "node3", 143, false, TimedOut: true),
        new ShardStartFailed(new ShardAttemptId("j-7f3a", 3, 1), "node3", "image registry.local/my-processor:1.4 not found"),
        new ShardStartFailed(new ShardAttemptId("j-7f3a", 4, 1), "node3", "command \"nosuch\" not found in image localhost/probe:1", Permanent: true),
        new ShardFenced(new ShardAttemptId("j-7f3a", 3, 2), "node3", "cut off from the cluster majority for 20s"),
        new JobEvent(Submitted, "j-7f3a", 3, 2, "placed", "node3", "placed j-7f3a shard 3/7 attempt 2 on node3"),
        new StreamShardLogs("j-7f3a", 3, true),
        new StreamContainerLogs("sched-j-7f3a-3-2", true),
        new LogLines(["shard 3/7 on node3: starting", "shard 3/7 on node3: summed 1..2 = 3"]),
        new LogsEnded("container sched-j-7f3a-3-2 is gone"),
        new NodeImages("node1", [Image]),
        ListImages.Instance,
        new FindImage("my-processor"),
        new ImageHolders("my-processor", [new ImageHolder("node1", "akka.ssl.tcp://sched@node1.local:4053", Image)], ["node1", "node2", "node3"]),
        new ShardImageUnavailable(new ShardAttemptId("j-7f3a", 3, 1), "node3", "image my-processor: none of node1, node2, node3 holds it"),
        GetImages.Instance,
        new ShardsAwaitImage("node3", [new ShardAttemptId("j-7f3a", 3, 1), new ShardAttemptId("j-7f3a", 6, 1)], "fetching image from node1 (35/120 MB)"),
        new ImageListReply([new NodeImages("node1", [Image]), new NodeImages("node2", [])]),
        new SendImage("node2-5f1c", "my-processor", "arm64"),
        new ImageOffer("node2-5f1c", Image.Id, Image.SizeBytes),
        new ImageRefused("node2-5f1c", "node1 is sending to 2 nodes already", true),
        new ImageDemand("node2-5f1c", 16),
        new ImageChunk("node2-5f1c", 49152, [0x1f, 0x8b, 0x08, 0x00, 0xff]),
        new ImageSent("node2-5f1c", 2137088, ContainerId(9)),
        new ImageTransferAborted("node2-5f1c", "nothing came for 30 s"),
        new LogArchived("sched-j-7f3a-3-2", Submitted.AddHours(25)),
        new FindShardLog("j-7f3a", 3),
        new ShardLogHeld("j-7f3a", 3, "node3", 2),
        new JobSnapshot("j-7f3a", 42, FullSpec, Submitted, "cli-3f9c2a", true,
        [
            new ShardRecord(1, ShardStatus.Pending, 2, null, null, 3, "exit code 3", Submitted.AddSeconds(9), "node2", 1, AttemptOutcome.Exited)
                .WithEnded(new AttemptRecord(1, "node2", AttemptOutcome.OomKilled, 137, "oom-killed (memory limit 256Mi)", Submitted.AddSeconds(8), Submitted.AddSeconds(2))) with { RerunAfter = 1 },
            new ShardRecord(2, ShardStatus.Running, 1, "node3", ContainerId(2), null, null, null, null, 0, null, Ports(("5353/udp", 41_234), ("80/tcp", 18_080)), RunningSince: Submitted.AddSeconds(4)),
        ],
        Submitted.AddMinutes(3)),
        new JobSnapshot("j-81c0", 3, FullSpec, Submitted, null, true, [new ShardRecord(1, ShardStatus.Stopped, 0, null, null, null, "cancelled: job j-7f3a failed", null, null)],
            Submitted.AddMinutes(4), "job j-7f3a, which it runs after, failed", Submitted.AddMinutes(2)),
        new JobSnapshot("nightly-1c2d3e", 9, PeriodicSpec, Submitted, null, false, [], LastRunAt: Submitted.AddHours(-7), LastRunId: "nightly-4a5b6c"),
    ];

    public static RunShard RunShard(ShardAttemptId id) => new(
        id,
        FullSpec.Image,
        FullSpec.Command,
        FullSpec.Env
            .Add("SHARD", id.Shard.ToString())
            .Add("SHARD_INDEX", (id.Shard - 1).ToString())
            .Add("SHARD_COUNT", "7")
            .Add("SCHED_JOB", id.JobId)
            .Add("SCHED_NODE", "node3"),
        Labels(
            ("sched.managed", "true"),
            ("sched.job", id.JobId),
            ("sched.shard", id.Shard.ToString()),
            ("sched.attempt", id.Attempt.ToString())),
        FullSpec.Resources.MemoryBytes,
        FullSpec.Resources.MilliCpus,
        FullSpec.Container! with
        {
            ShardArgs = [],
            Labels = ContainerOptions.None.Labels,
            Volumes = [.. FullSpec.Container.Volumes.Select(v => v with { Source = v.Source.Replace("${SHARD}", id.Shard.ToString(), StringComparison.Ordinal) })],
        },
        FullSpec.Timeout);

    /// <summary>A job with shards in every state; shard 1 is the one that failed for good.</summary>
    public static JobView Job(string id, int shards) => new(
        id,
        FullSpec with { Shards = shards },
        JobStatus.Running,
        $"{shards - 1} of {shards} shards running",
        Submitted,
        [
            new ShardRecord(1, ShardStatus.Failed, 2, null, ContainerId(1), 137, "oom-killed (memory limit 256Mi) after 2 attempts", null, "node2", 0, AttemptOutcome.OomKilled),
            .. Enumerable.Range(2, shards - 1).Select(shard => new ShardRecord(
                shard, ShardStatus.Running, 1, $"node{(shard % 7) + 1}", ContainerId(shard), null, null, null, null)),
        ]);

    public static JobListReply JobList(int jobs, int shards) =>
        new([.. Enumerable.Range(1, jobs).Select(job => Job($"j-{job:x4}", shards))]);

    private static ContainerReport Running(int shard, int attempt) =>
        new(new ShardAttemptId("j-7f3a", shard, attempt), ContainerId(shard), true, null, false);

    private static ContainerReport Exited(int shard, int attempt) =>
        new(new ShardAttemptId("j-7f3a", shard, attempt), ContainerId(shard), false, 137, true);

    private static NodeView Node(int number) => new(
        $"node{number}",
        NodeStatus.Up,
        null,
        new NodeCapacity(4000, 8L << 30),
        new NodeCapacity(3500, 7680L << 20),
        new NodeCapacity(1000, 512L << 20),
        Labels(("arch", "arm64")),
        2,
        $"node{number}.local:4053");

    private static string ContainerId(int seed) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(seed)));

    private static ImmutableSortedDictionary<string, int> Ports(params (string Key, int HostPort)[] pairs) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(pair => KeyValuePair.Create(pair.Key, pair.HostPort)));

    private static ImmutableSortedDictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)));
}

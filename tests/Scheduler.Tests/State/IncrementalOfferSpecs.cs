using System.Collections.Immutable;
using System.Globalization;
using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using Sched.Scheduler.Decisions.State;
using Xunit.Abstractions;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>
/// A placement round offers a shard that found no room again only once room may have appeared. Over random
/// histories (jobs with and without constraints and caps per node, exits and backoffs, stops, lost nodes, nodes joining, growing, shrinking, turning unhealthy,
/// going silent, leaving and coming back), each round must place exactly what a round offering every waiting
/// shard places, and leave waiting no shard that fits somewhere. The seed is printed; SCHED_TEST_SEED repeats a run.
/// </summary>
public class IncrementalOfferSpecs(ITestOutputHelper output)
{
    private const int Steps = 1000;

    private static readonly long[] Memories = [128 * Mi, 256 * Mi, 512 * Mi, 1 * Gi];

    [Fact]
    public void A_round_must_place_what_offering_every_waiting_shard_would_place()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCHED_TEST_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (SCHED_TEST_SEED={seed} repeats this run)");
        var random = new Random(seed);
        var nodes = new SimulatedNodes(random);
        var state = SchedulerState.Empty;
        var roundsOfferingOnlyNew = 0;

        for (var step = 0; step < Steps; step++)
        {
            var now = T0.AddSeconds(step);
            state = random.Next(10) switch
            {
                0 or 1 => state.ApplyAll(SchedulerDecisions.Accept($"job-{step:x6}", RandomSpec(random), now)),
                2 when state.Jobs.Count > 0 => state.ApplyAll(SchedulerDecisions.Stop(state, state.Jobs.Values.ElementAt(random.Next(state.Jobs.Count)).Id, now)),
                3 => nodes.ChangeOne(state, now),
                _ => EndOrStartOne(state, random, now),
            };
            var registry = nodes.Reported(now);
            var context = $"seed {seed}, step {step}";

            var cluster = registry.Snapshot(state, now);
            roundsOfferingOnlyNew += state.Index.MustOfferAll(cluster.Generation) ? 0 : 1;
            var round = SchedulerDecisions.Place(state, cluster, now);
            var everything = SchedulerState.Of(state.Jobs.Values);
            var full = SchedulerDecisions.Place(everything, registry.Snapshot(everything, now), now);

            Assert.True(
                full.Placed.Select(p => (p.Request.Id, p.Node)).SequenceEqual(round.Placed.Select(p => (p.Request.Id, p.Node))),
                $"placements differ ({context}): all offered [{Describe(full)}], only new [{Describe(round)}]");
            state = state.Apply(round);
            AssertNoWaitingShardFits(state, registry.Snapshot(state, now), now, context);
            Assert.Equal(SchedulerDecisions.NextRetry(SchedulerState.Of(state.Jobs.Values), now), SchedulerDecisions.NextRetry(state, now));
        }

        output.WriteLine($"{roundsOfferingOnlyNew} of {Steps} rounds offered only what was new");
        Assert.True(roundsOfferingOnlyNew > 100, $"only {roundsOfferingOnlyNew} rounds offered only what was new: the history never tested it");
    }

    /// <summary>Some jobs keep off a node, some cap their shards per node: both change where a shard fits.</summary>
    private static JobSpec RandomSpec(Random random)
    {
        var spec = Spec(shards: random.Next(1, 6), memory: Memories[random.Next(Memories.Length)], milliCpus: 250 * random.Next(1, 5));
        var constraints = random.Next(3) == 0
            ? [new PlacementConstraint("node", ConstraintOperator.NotEqual, $"node{random.Next(1, 7)}")]
            : ImmutableArray<PlacementConstraint>.Empty;
        var maxPerNode = random.Next(2) == 0 ? random.Next(1, 3) : (int?)null;
        return spec with { Placement = new PlacementRules(PlacementStrategy.Spread, maxPerNode, constraints) };
    }

    /// <summary>Checked naively, node by node: after a round, no shard that waits (and is due) fits anywhere.</summary>
    private static void AssertNoWaitingShardFits(SchedulerState state, ClusterSnapshot cluster, DateTimeOffset now, string context)
    {
        foreach (var job in state.Jobs.Values.Where(j => !j.Stopped))
        {
            var rules = job.Spec.Placement;
            var room = cluster.Nodes.FirstOrDefault(n => n.Healthy
                && rules.Constraints.All(c => (c.Operator == ConstraintOperator.Equal) == ((c.Attribute == "node" ? n.Name : n.Labels.GetValueOrDefault(c.Attribute)) == c.Value))
                && (rules.MaxShardsPerNode is not { } max || n.ShardsOf(job.Id) < max)
                && job.Spec.Resources.MemoryBytes <= n.FreeMemory
                && job.Spec.Resources.MilliCpus <= n.FreeMilliCpus);
            var waiting = job.Shards.FirstOrDefault(s => s.Status == ShardStatus.Pending && !(s.RetryAt > now));
            Assert.True(room is null || waiting is null, $"shard {waiting?.Shard} of {job.Id} waits although {room?.Name} has room ({context})");
        }
    }

    private static string Describe(PlacementRound round) => string.Join(", ", round.Placed.Select(p => $"{p.Request.Id}@{p.Node}"));

    private static SchedulerState EndOrStartOne(SchedulerState state, Random random, DateTimeOffset now)
    {
        var active = state.Jobs.Values
            .SelectMany(j => j.Shards.Where(s => s.IsActive).Select(s => new ShardAttemptId(j.Id, s.Shard, s.Attempt)))
            .ToList();
        if (active.Count == 0)
        {
            return state;
        }

        var id = active[random.Next(active.Count)];
        return state.CurrentAttempt(id)!.Status == ShardStatus.Placed && random.Next(2) == 0
            ? state.Started(id)
            : state.Ended(id, random.Next(2), now);
    }

    /// <summary>Up to six nodes that report every second unless silent, and change in every way placement sees.</summary>
    private sealed class SimulatedNodes(Random random)
    {
        private readonly Dictionary<string, (long Memory, bool Healthy, DateTimeOffset SilentUntil)> _nodes = new()
        {
            ["node1"] = (2 * Gi, true, DateTimeOffset.MinValue),
            ["node2"] = (2 * Gi, true, DateTimeOffset.MinValue),
        };

        private NodeRegistry _registry = NodeRegistry.Empty;

        public SchedulerState ChangeOne(SchedulerState state, DateTimeOffset now)
        {
            var name = $"node{random.Next(1, 7)}";
            if (!_nodes.TryGetValue(name, out var node))
            {
                _nodes[name] = (Memories[random.Next(Memories.Length)] * 4, true, DateTimeOffset.MinValue);
                return state;
            }

            switch (random.Next(5))
            {
                case 0:
                    _nodes[name] = node with { Memory = Memories[random.Next(Memories.Length)] * 4 };
                    return state;
                case 1:
                    _nodes[name] = node with { Healthy = !node.Healthy };
                    return state;
                case 2:
                    _nodes[name] = node with { SilentUntil = now.AddSeconds(random.Next(5, 30)) };
                    return state;
                case 3:
                    _registry = _registry.MemberChanged(Report(name).MemberAddress!, Membership.Removed);
                    return state.ApplyAll(SchedulerDecisions.NodeDown(state, name, now, TimeSpan.FromSeconds(random.Next(0, 3))));
                default:
                    _registry = _registry.MemberChanged(Report(name).MemberAddress!, random.Next(2) == 0 ? Membership.Unreachable : Membership.Up);
                    return state;
            }
        }

        public NodeRegistry Reported(DateTimeOffset now)
        {
            foreach (var (name, node) in _nodes.Where(n => n.Value.SilentUntil <= now))
            {
                _registry = _registry.Report(Report(name, node.Memory, node.Healthy), now);
            }

            return _registry;
        }
    }
}

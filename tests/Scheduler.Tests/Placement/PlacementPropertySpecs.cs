using System.Diagnostics;
using System.Globalization;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Decisions.Placement;
using Xunit.Abstractions;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>
/// Random clusters and jobs, replayed shard by shard against <see cref="PlacementModel"/>.
/// The seed is printed; set SCHED_TEST_SEED to run the same cases again.
/// </summary>
public class PlacementPropertySpecs(ITestOutputHelper output)
{
    private const int Cases = 500;

    [Fact]
    public void Random_clusters_must_never_overcommit_violate_rules_or_strand_a_shard_that_fits()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCHED_TEST_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (SCHED_TEST_SEED={seed} repeats this run)");
        var random = new Random(seed);
        var (placedTotal, unplacedTotal, spreadChecks) = (0, 0, 0);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Cases; i++)
        {
            var cluster = RandomClusters.Cluster(random);
            var requests = RandomClusters.Job(random, cluster);
            var result = Placer.Place(cluster, requests);
            var context = $"seed {seed}, case {i}";

            Assert.Equal(requests.Count, result.Placed.Count + result.Unplaced.Count);
            Assert.True(
                result.Placed.SequenceEqual(Placer.Place(cluster, requests).Placed),
                $"{context}: the same input placed differently");
            var model = Replay(cluster, requests, result, context);
            spreadChecks += CheckSpread(model, requests, context) ? 1 : 0;
            (placedTotal, unplacedTotal) = (placedTotal + result.Placed.Count, unplacedTotal + result.Unplaced.Count);
        }

        output.WriteLine($"{Cases} cases: {placedTotal} shards placed, {unplacedTotal} left pending, {spreadChecks} spread runs checked in {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>Walks the requests in order, checking each choice against what the model says was possible then.</summary>
    private static PlacementModel Replay(ClusterSnapshot cluster, List<ShardRequest> requests, PlacementResult result, string context)
    {
        var model = new PlacementModel(cluster);
        var placed = result.Placed.ToDictionary(p => p.Request.Id);
        foreach (var request in requests)
        {
            var feasible = model.Feasible(request);
            if (!placed.TryGetValue(request.Id, out var decision))
            {
                Assert.True(feasible.Count == 0, $"{context}: {request.Id} left pending though {string.Join(", ", feasible)} fit");
                continue;
            }

            var node = decision.Node;
            Assert.True(feasible.Contains(node), $"{context}: {request.Id} placed on {node}, which did not fit or was not allowed");
            Assert.Equal(model.FreeMemory(node), decision.FreeMemoryBefore);
            Assert.Equal(model.FreeCpus(node), decision.FreeMilliCpusBefore);
            CheckRanking(model, request, feasible, node, context);
            model.Take(node, request);
        }

        foreach (var node in model.Names.Where(n => model.Added(n) > 0))
        {
            Assert.True(model.WithinAllocatable(node), $"{context}: {node} is overcommitted");
        }

        return model;
    }

    /// <summary>The chosen node is one the strategy ranks first among the feasible ones (ties may go either way).</summary>
    private static void CheckRanking(PlacementModel model, ShardRequest request, List<string> feasible, string node, string context)
    {
        var candidates = feasible.Where(n => n != request.AvoidNode).ToList();
        if (candidates.Count == 0)
        {
            Assert.Equal(request.AvoidNode, node);
            return;
        }

        Assert.True(node != request.AvoidNode, $"{context}: {request.Id} went back to {node} though {candidates[0]} fit");
        if (request.Rules.Strategy == PlacementStrategy.Binpack)
        {
            Assert.True(
                model.FreeMemory(node) == candidates.Min(model.FreeMemory),
                $"{context}: binpack chose {node}, not the node with least free memory");
        }
        else
        {
            Assert.True(
                model.Added(node) == candidates.Min(model.Added),
                $"{context}: spread chose {node} with {model.Added(node)} shards of the job, not the fewest");
        }
    }

    /// <summary>
    /// Spread, no retries: take the nodes that could still take one more shard when the run ends (they were
    /// feasible throughout, since feasibility only shrinks). Among them the counts differ by at most one, and
    /// no node anywhere has more than one shard over the emptiest of them. Nodes that filled up may have fewer.
    /// </summary>
    private static bool CheckSpread(PlacementModel model, List<ShardRequest> requests, string context)
    {
        var rules = requests[0].Rules;
        if (rules.Strategy != PlacementStrategy.Spread || requests.Any(r => r.AvoidNode is not null))
        {
            return false;
        }

        var stillFeasible = model.Names.Where(n => model.Fits(n, requests[0])).ToList();
        if (stillFeasible.Count == 0)
        {
            return false;
        }

        var fewest = stillFeasible.Min(model.Added);
        Assert.True(stillFeasible.Max(model.Added) - fewest <= 1, $"{context}: spread left uneven nodes that all had room");
        Assert.True(model.Names.Max(model.Added) <= fewest + 1, $"{context}: a node has more than one shard over one with room");
        return true;
    }
}

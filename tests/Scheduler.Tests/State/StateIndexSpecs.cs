using System.Globalization;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using Xunit.Abstractions;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>
/// The state's index (node usage, waiting jobs) is kept up to date event by event; it must always equal the index
/// built from scratch from the jobs. Random event sequences; the seed is printed, SCHED_TEST_SEED repeats a run.
/// </summary>
public class StateIndexSpecs(ITestOutputHelper output)
{
    [Fact]
    public void Index_kept_event_by_event_must_equal_the_index_built_from_the_jobs()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCHED_TEST_SEED"), CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (SCHED_TEST_SEED={seed} repeats this run)");
        var random = new Random(seed);
        var registry = Registry(3, T0, memory: 2 * Gi);
        var state = SchedulerState.Empty;
        _ = state.Index; // built once here, then only updated

        for (var step = 0; step < 400; step++)
        {
            var now = T0.AddSeconds(step);
            state = random.Next(8) switch
            {
                0 => state.ApplyAll(SchedulerDecisions.Accept($"job-{step:x6}", Spec(shards: random.Next(1, 6), memory: 256 * Mi), now)),
                1 when state.Jobs.Count > 0 => state.ApplyAll(SchedulerDecisions.Stop(state, Any(state, random).Id, now)),
                2 => state.ApplyAll(SchedulerDecisions.NodeDown(state, $"node{random.Next(1, 4)}", now, TimeSpan.Zero)),
                _ => EndOrStartOne(state, random, now),
            };
            state = state.ApplyAll(SchedulerDecisions.Place(state, registry.Snapshot(state, now), now.AddMinutes(5)).Events);

            AssertSameIndex(StateIndex.Of(state.Jobs.Values), state.Index, $"seed {seed}, step {step}");
        }
    }

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

    private static JobRecord Any(SchedulerState state, Random random) => state.Jobs.Values.ElementAt(random.Next(state.Jobs.Count));

    private static void AssertSameIndex(StateIndex expected, StateIndex actual, string context)
    {
        Assert.True(expected.Waiting.SequenceEqual(actual.Waiting), $"waiting jobs differ ({context})");
        Assert.Equal(expected.PendingShards.OrderBy(p => p.Key), actual.PendingShards.OrderBy(p => p.Key));
        Assert.Equal(expected.Usage.Keys.Order(), actual.Usage.Keys.Order());
        foreach (var (node, usage) in expected.Usage)
        {
            Assert.Equal(usage.Allocated, actual.Usage[node].Allocated);
            Assert.Equal(usage.ShardsByJob.OrderBy(p => p.Key), actual.Usage[node].ShardsByJob.OrderBy(p => p.Key));
        }
    }
}

using System.Diagnostics;
using Akka.Serialization;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;
using Xunit.Abstractions;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>Prints size and speed of typical messages; figures only, nothing is asserted about time.</summary>
public sealed class SerializationFigures(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SchedSerialization.Hocon, output)
{
    private readonly ITestOutputHelper output = output;

    [Fact]
    public void Size_and_time_of_a_run_shard_and_a_full_job_list()
    {
        var ours = Assert.IsType<SchedMessageSerializer>(Sys.Serialization.FindSerializerForType(typeof(ISchedMessage)));
        var fallback = Sys.Serialization.FindSerializerForType(typeof(object));
        var runShard = SchedMessageSamples.RunShard(new ShardAttemptId("j-7f3a", 3, 2));
        var jobList = SchedMessageSamples.JobList(jobs: 100, shards: 7);

        Report("RunShard", runShard, ours, iterations: 5_000);
        Report("JobListReply 100x7", jobList, ours, iterations: 100);
        Report("RunShard (Akka default JSON)", runShard, fallback, iterations: 5_000);
        Report("JobListReply 100x7 (Akka default JSON)", jobList, fallback, iterations: 100);
    }

    // Best of several batches, so a busy machine disturbs the figure less.
    private void Report(string label, object message, Serializer serializer, int iterations)
    {
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);
        var write = BestMicros(iterations, () => serializer.ToBinary(message));
        string read;
        try
        {
            read = $"deserialize {BestMicros(iterations, () => Read(serializer, bytes, manifest, message.GetType())):F1} µs";
        }
        catch (Exception e)
        {
            read = $"deserialize fails: {e.GetType().Name}: {e.Message}";
        }

        output.WriteLine($"{label}: {bytes.Length:N0} bytes, serialize {write:F1} µs, {read}");
    }

    private static double BestMicros(int iterations, Func<object> action)
    {
        var best = double.MaxValue;
        for (var batch = 0; batch < 6; batch++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                _ = action();
            }

            // The first batch warms up (JIT, caches) and is not counted.
            best = batch == 0 ? best : Math.Min(best, watch.Elapsed.TotalMicroseconds / iterations);
        }

        return best;
    }

    private static object Read(Serializer serializer, byte[] bytes, string manifest, Type type) =>
        serializer is SerializerWithStringManifest withManifest
            ? withManifest.FromBinary(bytes, manifest)
            : serializer.FromBinary(bytes, type);
}

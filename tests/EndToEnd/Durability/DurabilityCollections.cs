using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// The dev-agent durability tests (SIGKILL and restart, load, a broken state file) share one private podman store.
/// They run one at a time and not beside other collections: they measure, and kill processes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DurableDevAgentCollection : ICollectionFixture<PrivatePodman>
{
    public const string Name = "durability: dev agent";
}

/// <summary>The failover and full-restart tests share one three-node cluster with two scheduler nodes; they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverClusterCollection : ICollectionFixture<FailoverCluster>
{
    public const string Name = "durability: failover cluster";
}

/// <summary>
/// Measured figures: printed to the test output and appended to one file per test run
/// (<c>$TMPDIR/sched-durability-figures.txt</c>), so they can be read without a verbose test logger.
/// </summary>
public sealed class Figures(ITestOutputHelper output, string test)
{
    public static string FilePath => Path.Combine(Path.GetTempPath(), "sched-durability-figures.txt");

    public void Print(string line)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss} {test}: {line}");
        output.WriteLine(text);
        File.AppendAllText(FilePath, text + Environment.NewLine);
    }

    public static string S(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Ms(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}

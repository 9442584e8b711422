using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Durability;

/// <summary>
/// Acceptance 5: a scheduler state file that cannot be read stops the agent with an error that names the file and
/// the way out, and the file is left exactly as it was; the way out it names works.
/// </summary>
[Collection(DurableDevAgentCollection.Name)]
public sealed class StateFileSpecs(PrivatePodman store, ITestOutputHelper output)
{
    public enum Damage
    {
        /// <summary>Random bytes over the whole file.</summary>
        Garbage,

        /// <summary>The first half of the file only (a write cut short).</summary>
        Truncated,

        /// <summary>A sound SQLite file whose job row holds bytes that are not a job.</summary>
        BadRow,
    }

    [Theory]
    [InlineData(Damage.Garbage)]
    [InlineData(Damage.Truncated)]
    [InlineData(Damage.BadRow)]
    public async Task A_damaged_state_file_stops_the_agent_naming_the_file_and_the_way_out_and_is_left_unchanged(Damage damage)
    {
        var figures = new Figures(output, $"state-file-{damage}");
        await using var agent = DevAgent.On(store, $"dur-file-{damage.ToString().ToLowerInvariant()}");
        await agent.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await Submissions.MustCreate(agent.Http, new Uri(agent.Address), Submissions.Waiter($"waits-{i}"));
        }

        Assert.Equal(0, await agent.StopAsync());
        await Break(agent.StateFile, damage);
        var bytes = await File.ReadAllBytesAsync(agent.StateFile);
        var others = SidecarFiles(agent.StateFile);

        var start = await agent.StartExpectingExit(TimeSpan.FromSeconds(120));

        figures.Print($"{bytes.Length} bytes of {damage}: exit {start.ExitCode}; output:\n{start.Stdout.Trim()}");
        Assert.True(start.ExitCode != 0, start.ToString());
        Assert.Contains(agent.StateFile, start.Stdout, StringComparison.Ordinal);
        Assert.Contains("backup", start.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"mv {agent.StateFile} ", start.Stdout, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(agent.StateFile)));
        Assert.Equal(others, SidecarFiles(agent.StateFile));

        // The way out the message names: move the file away, and the agent starts with no jobs.
        File.Move(agent.StateFile, agent.StateFile + ".broken");
        foreach (var sidecar in new[] { "-wal", "-shm" }.Select(s => agent.StateFile + s).Where(File.Exists))
        {
            File.Move(sidecar, sidecar.Replace("scheduler-state.db", "scheduler-state.db.broken", StringComparison.Ordinal));
        }

        await agent.StartAsync();
        Assert.Empty(await agent.Jobs());
        Assert.Equal(0, await agent.StopAsync());
    }

    private static async Task Break(string path, Damage damage)
    {
        switch (damage)
        {
            case Damage.Garbage:
                var garbage = new byte[Math.Max(new FileInfo(path).Length, 8192)];
                new Random(20_251_126).NextBytes(garbage);
                await File.WriteAllBytesAsync(path, garbage);
                break;
            case Damage.Truncated:
                await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    Assert.True(file.Length > 8192, $"{path} has only {file.Length} bytes: too small to cut in half meaningfully");
                    file.SetLength(file.Length / 2);
                }

                break;
            case Damage.BadRow:
                var sql = "UPDATE jobs SET snapshot = CAST('not a job' AS BLOB) WHERE rowid = (SELECT MIN(rowid) FROM jobs);";
                var update = await Processes.RunAsync("sqlite3", [path, sql]);
                Assert.True(update.ExitCode == 0, $"sqlite3 (Debian package sqlite3): {update}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    /// <summary>The WAL and shared-memory files next to the state file, with their sizes: they must not change either.</summary>
    private static string SidecarFiles(string path) =>
        string.Join(", ", new[] { "-wal", "-shm" }.Select(s => path + s).Where(File.Exists).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} bytes"));
}

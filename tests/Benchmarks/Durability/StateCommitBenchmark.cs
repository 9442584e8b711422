using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sched.Benchmarks.Durability;

/// <summary>
/// What synchronous=FULL costs a submission: the state file's upsert of one job (the write a 201 waits for), in WAL
/// mode, committed one at a time as submissions are, under synchronous=NORMAL and FULL, on the disk of the folder
/// given (the data dir's disk; not a tmpfs, where a sync costs nothing). A job row of the size a 7-shard job has.
/// </summary>
public static class StateCommitBenchmark
{
    public static IReadOnlyList<FigureRow> Run(bool quick, string folder, TextWriter output)
    {
        var commits = quick ? 20 : 200;
        var snapshot = new byte[2_500];
        Random.Shared.NextBytes(snapshot);
        var rows = new List<FigureRow>();
        var medians = new Dictionary<string, double>();
        foreach (var mode in new[] { "NORMAL", "FULL" })
        {
            var path = Path.Combine(folder, $"state-commit-{mode.ToLowerInvariant()}-{Environment.ProcessId}.db");
            var times = Measure(path, mode, commits, snapshot);
            times.Sort();
            var median = times[times.Count / 2];
            medians[mode] = median;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"synchronous={mode}: {commits} single-job commits, median {median:0.00} ms, p90 {times[times.Count * 9 / 10]:0.00} ms, max {times[^1]:0.00} ms"));
            rows.Add(new FigureRow($"state commit per submission, synchronous={mode}", string.Create(CultureInfo.InvariantCulture, $"{median:0.00} ms"), "-", true, "issue 15"));
            foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FULL costs {medians["FULL"] - medians["NORMAL"]:0.00} ms more per submission"));
        return rows;
    }

    private static List<double> Measure(string path, string mode, int commits, byte[] snapshot)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {mode}; "
                + "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, version INTEGER NOT NULL, snapshot BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        var times = new List<double>(commits);
        for (var i = 0; i < commits; i++)
        {
            var clock = Stopwatch.StartNew();
            using var transaction = connection.BeginTransaction();
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = "INSERT INTO jobs (id, version, snapshot) VALUES ($id, 1, $snapshot) "
                + "ON CONFLICT(id) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot";
            upsert.Parameters.AddWithValue("$id", $"job-{i}");
            upsert.Parameters.AddWithValue("$snapshot", snapshot);
            upsert.ExecuteNonQuery();
            transaction.Commit();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }
}

using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sched.Contracts.Messages;
using Sched.Scheduler.Wire;

namespace Sched.Scheduler.Durability;

/// <summary>
/// The jobs a scheduler-role node keeps on its own disk: one row per job, its latest version. SQLite in WAL mode,
/// written in batches (one transaction per batch) so an SD card sees few writes. synchronous=FULL: a commit returns
/// only once the WAL is synced, so a job answered 201 survives a power cut (NORMAL may drop the last commits).
/// </summary>
public sealed class JobStore : IDisposable
{
    private readonly SqliteConnection _connection;

    private JobStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public string Path { get; }

    /// <summary>Opens (or creates) the store; an unreadable file is reported, never replaced.</summary>
    public static JobStore Open(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = System.IO.Path.Combine(dataDir, "scheduler-state.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, version INTEGER NOT NULL, snapshot BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS scheduler_nodes (name TEXT PRIMARY KEY);
                """);
            var store = new JobStore(path, connection);
            _ = store.LoadAll();
            return store;
        }
        catch (Exception e) when (e is SqliteException or JsonException or System.Runtime.Serialization.SerializationException or InvalidCastException)
        {
            connection.Dispose();
            throw new StateFileException(path, e);
        }
    }

    public IReadOnlyList<JobSnapshot> LoadAll()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT snapshot FROM jobs";
        using var reader = command.ExecuteReader();
        var jobs = new List<JobSnapshot>();
        while (reader.Read())
        {
            jobs.Add(SchedulerWire.Catalog.FromJson<JobSnapshot>((byte[])reader[0]));
        }

        return jobs;
    }

    /// <summary>Writes the batch in one transaction; an older version never replaces a newer one.</summary>
    public void Save(IReadOnlyCollection<JobSnapshot> jobs) => InOneTransaction(
        jobs,
        """
        INSERT INTO jobs (id, version, snapshot) VALUES ($id, $version, $snapshot)
        ON CONFLICT(id) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot
        WHERE excluded.version > jobs.version
        """,
        (parameters, job) =>
        {
            parameters.AddWithValue("$id", job.Id);
            parameters.AddWithValue("$version", job.Version);
            parameters.AddWithValue("$snapshot", SchedulerWire.Catalog.ToJson(job));
        });

    /// <summary>Deletes the jobs' rows in one transaction; ids without a row are skipped.</summary>
    public void Delete(IReadOnlyCollection<string> jobIds) =>
        InOneTransaction(jobIds, "DELETE FROM jobs WHERE id = $id", (parameters, id) => parameters.AddWithValue("$id", id));

    private void InOneTransaction<T>(IReadOnlyCollection<T> items, string sql, Action<SqliteParameterCollection, T> bind)
    {
        if (items.Count == 0)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var item in items)
        {
            command.Parameters.Clear();
            bind(command.Parameters, item);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The scheduler-role nodes this node last knew to be in the cluster (see <see cref="StateReplica"/>).</summary>
    public IReadOnlySet<string> LoadSchedulerNodes()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM scheduler_nodes";
        using var reader = command.ExecuteReader();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public void SaveSchedulerNodes(IReadOnlyCollection<string> names)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM scheduler_nodes";
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO scheduler_nodes (name) VALUES ($name)";
        var name = command.Parameters.Add("$name", SqliteType.Text);
        foreach (var each in names)
        {
            name.Value = each;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The errors of a write the disk refused (full, read-only, gone): the write can be tried again later.</summary>
    public static bool IsWriteFailure(Exception e) => e is SqliteException or IOException or UnauthorizedAccessException;

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>The state file cannot be read. sched stops rather than start from an empty state and lose every job.</summary>
public sealed class StateFileException(string path, Exception cause) : Exception(
    $"the scheduler state file {path} cannot be read ({cause.Message}). sched will not start with an empty state in its place: "
    + $"restore it from a backup, or move it away (mv {path} {path}.broken) to start with no jobs.",
    cause)
{
    public string StatePath { get; } = path;
}

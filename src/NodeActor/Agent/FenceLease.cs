namespace Sched.NodeActor.Agent;

/// <summary>
/// The node's fencing lease: a file whose modification time is the moment this node's containers must stop unless
/// the agent has renewed it. The agent renews it while it is a healthy member of the cluster; `sched guard`, a process
/// of its own, stops every container of the cluster once that moment has passed. A file's time is what the two
/// processes share without either needing the other to be alive, and a renewal is one utimensat, not a write.
/// Under systemd the file lives in the services' runtime directory (tmpfs), so renewals never touch the SD card;
/// a lease left in the data dir by an agent before the move still counts until it runs out (<paramref name="earlier"/>).
/// </summary>
public sealed class FenceLease(string path, string? earlier = null)
{
    /// <summary>The lease file's name in the agent's data dir.</summary>
    public const string FileName = "fence-lease";

    public string Path { get; } = path;

    public static FenceLease InDataDir(string dataDir) => new(System.IO.Path.Combine(dataDir, FileName));

    /// <summary>
    /// In $RUNTIME_DIRECTORY when systemd gives one (RuntimeDirectory=sched: /run/sched, tmpfs), the data dir's
    /// lease still honoured; else in the data dir. The agent and the guard both choose this way, so they meet.
    /// </summary>
    public static FenceLease For(string dataDir, Func<string, string?> env) =>
        env("RUNTIME_DIRECTORY") is { Length: > 0 } runtime
            ? new(System.IO.Path.Combine(runtime.Split(':')[0], FileName), System.IO.Path.Combine(dataDir, FileName))
            : InDataDir(dataDir);

    /// <summary>Sets the lease to run out at <paramref name="until"/>; creates the file the first time.</summary>
    public void RenewUntil(DateTime until)
    {
        if (!File.Exists(Path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.WriteAllText(Path, "sched fencing lease: its modification time is when this node's containers are stopped unless the agent renews it\n");
        }

        File.SetLastWriteTimeUtc(Path, until);
    }

    /// <summary>When the lease runs out; null when there is no lease file (no agent ever ran here, or it was removed).</summary>
    public DateTime? ExpiresAt()
    {
        var current = TimeOf(Path);
        return earlier is not null && TimeOf(earlier) is { } left && (current is null || left > current) ? left : current;
    }

    private static DateTime? TimeOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.LastWriteTimeUtc : null;
    }

    /// <summary>A missing lease has run out: nothing vouches for the containers.</summary>
    public bool HasRunOut(DateTime now) => ExpiresAt() is not { } expires || expires <= now;
}

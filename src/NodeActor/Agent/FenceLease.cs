namespace Sched.NodeActor.Agent;

/// <summary>
/// The node's fencing lease: a file whose modification time is the moment this node's containers must stop unless
/// the agent has renewed it. The agent renews it while it is a healthy member of the cluster; `sched guard`, a process
/// of its own, stops every container of the cluster once that moment has passed. A file's time is what the two
/// processes share without either needing the other to be alive, and a renewal is one utimensat, not a write.
/// </summary>
public sealed class FenceLease(string path)
{
    /// <summary>The lease file's name in the agent's data dir.</summary>
    public const string FileName = "fence-lease";

    public string Path { get; } = path;

    public static FenceLease InDataDir(string dataDir) => new(System.IO.Path.Combine(dataDir, FileName));

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
        var info = new FileInfo(Path);
        return info.Exists ? info.LastWriteTimeUtc : null;
    }

    /// <summary>A missing lease has run out: nothing vouches for the containers.</summary>
    public bool HasRunOut(DateTime now) => ExpiresAt() is not { } expires || expires <= now;
}

using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using Sched.Contracts.Messages;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Agent;

/// <summary>
/// The logs of removed containers, kept on the node that ran them: one gzip file per attempt
/// (DATA-DIR/log-archive/sched-JOB-SHARD-ATTEMPT.log.gz) holding the last <see cref="PerShardBytes"/> of its log, and
/// all files together at most <see cref="TotalBytes"/> on disk, the oldest archived deleted first. Used from tasks
/// off the agent's actor: it keeps no state but the files.
/// </summary>
public sealed class LogArchive(string directory, long perShardBytes = LogArchive.DefaultPerShardBytes, long totalBytes = LogArchive.DefaultTotalBytes)
{
    public const long DefaultPerShardBytes = 1024 * 1024;

    public const long DefaultTotalBytes = 256L * 1024 * 1024;

    private const string Suffix = ".log.gz";

    public string Directory { get; } = directory;

    public long PerShardBytes { get; } = perShardBytes;

    public long TotalBytes { get; } = totalBytes;

    public static LogArchive InDataDir(string dataDir) => new(Path.Combine(dataDir, "log-archive"));

    /// <summary>
    /// Reads the container's whole log and keeps its last <see cref="PerShardBytes"/> (whole lines), compressed.
    /// Written to a temporary file first, so a reader never sees half an archive; then the oldest files go until
    /// the archive fits <see cref="TotalBytes"/>.
    /// </summary>
    public async Task KeepAsync(IContainerRuntime runtime, ShardAttemptId id, string containerId, CancellationToken ct)
    {
        var tail = new Queue<string>();
        long bytes = 0;
        await foreach (var line in runtime.LogsAsync(containerId, follow: false, ct))
        {
            tail.Enqueue(line);
            bytes += Encoding.UTF8.GetByteCount(line) + 1;
            while (bytes > PerShardBytes && tail.Count > 0)
            {
                bytes -= Encoding.UTF8.GetByteCount(tail.Dequeue()) + 1;
            }
        }

        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(id.ContainerName);
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        await using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        await using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            foreach (var line in tail)
            {
                await writer.WriteAsync(line.AsMemory(), ct);
                await writer.WriteAsync('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
        Trim();
    }

    /// <summary>When the container's log was archived; null when it was not (or the archive let it go).</summary>
    public DateTimeOffset? ArchivedAt(string containerName) =>
        File.Exists(PathOf(containerName)) ? new DateTimeOffset(File.GetLastWriteTimeUtc(PathOf(containerName)), TimeSpan.Zero) : null;

    /// <summary>The attempts of a shard whose logs are archived here.</summary>
    public IEnumerable<int> AttemptsOf(string jobId, int shard)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        var prefix = $"sched-{jobId}-{shard.ToString(CultureInfo.InvariantCulture)}-";
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path)[..^Suffix.Length];
            if (int.TryParse(name[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
            {
                yield return attempt;
            }
        }
    }

    public async IAsyncEnumerable<string> ReadAsync(string containerName, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var file = File.OpenRead(PathOf(containerName));
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            yield return line;
        }
    }

    private string PathOf(string containerName) => Path.Combine(Directory, containerName + Suffix);

    /// <summary>Deletes the oldest archived logs until the rest fit the total bound.</summary>
    private void Trim()
    {
        var files = new DirectoryInfo(Directory).EnumerateFiles("*" + Suffix).OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        long kept = 0;
        foreach (var file in files)
        {
            kept += file.Length;
            if (kept > TotalBytes)
            {
                file.Delete();
            }
        }
    }
}

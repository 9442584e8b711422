using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Sched.NodeActor.Runtime;

/// <summary>Reads a container's multiplexed log stream as text lines.</summary>
internal static class ContainerLogLines
{
    public static async IAsyncEnumerable<string> ReadAsync(
        DockerClient docker, string socketPath, string containerId, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        var operation = $"reading logs of container {containerId}";
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = follow };
        using var stream = await EngineErrors.Guard(
            socketPath, operation, () => docker.Containers.GetContainerLogsAsync(containerId, tty: false, parameters, ct), ct);
        var splitter = new LogLineSplitter();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await EngineErrors.Guard(
                socketPath, operation, () => stream.ReadOutputAsync(buffer, 0, buffer.Length, ct), ct);
            if (read.EOF)
            {
                break;
            }

            foreach (var line in splitter.Add(read.Target, buffer.AsSpan(0, read.Count)))
            {
                yield return line;
            }
        }

        foreach (var line in splitter.Flush())
        {
            yield return line;
        }
    }
}

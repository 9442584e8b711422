using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Sched.EndToEnd.Security;

/// <summary>
/// tshark on the loopback interface, capturing a cluster's agent ports (not its HTTP port, where a job's name travels
/// by design) into a pcap file, then read back: TLS handshakes as Wireshark's TLS dissector sees them, and the raw
/// bytes of every captured packet searched for a text. tshark comes from deploy/lib/install-test-tools.sh.
/// </summary>
public sealed class LoopbackCapture : IAsyncDisposable
{
    private readonly Process _tshark;
    private readonly CapturedOutput _log;
    private readonly IReadOnlyList<int> _ports;

    private LoopbackCapture(Process tshark, CapturedOutput log, string file, IReadOnlyList<int> ports)
    {
        _tshark = tshark;
        _log = log;
        File = file;
        _ports = ports;
    }

    public string File { get; }

    /// <summary>Starts capturing TCP on <paramref name="ports"/> and returns once tshark says it captures.</summary>
    public static async Task<LoopbackCapture> Start(string dir, IReadOnlyList<int> ports)
    {
        var file = Path.Combine(dir, "cluster.pcap");
        var log = new CapturedOutput(Path.Combine(dir, "tshark.log"));
        var filter = string.Join(" or ", ports.Select(p => $"tcp port {p.ToString(CultureInfo.InvariantCulture)}"));
        var tshark = Processes.Start("tshark", ["-i", "lo", "-f", filter, "-w", file], log);
        var capture = new LoopbackCapture(tshark, log, file, ports);
        await Wait.Until(() => log.ToString().Contains("Capturing on", StringComparison.Ordinal) || tshark.HasExited, Wait.Default, "tshark starts capturing",
            () => Task.FromResult(log.ToString()));
        Assert.False(tshark.HasExited, $"tshark exited: {log}");
        return capture;
    }

    /// <summary>Stops the capture (SIGINT, as a person would press Ctrl-C) and waits until the file is complete.</summary>
    public async Task Stop()
    {
        if (_tshark.HasExited)
        {
            return;
        }

        await Processes.Must("kill", "-INT", _tshark.Id.ToString(CultureInfo.InvariantCulture));
        await _tshark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Every captured packet that carries a TCP payload, read once with the agent ports decoded as TLS (Wireshark does
    /// not guess TLS on ports it does not know). tshark's dissectors load slowly on a busy machine: it gets 10 minutes.
    /// </summary>
    public async Task<IReadOnlyList<CapturedSegment>> Segments()
    {
        var decodeAsTls = _ports.SelectMany(p => new[] { "-d", $"tcp.port=={p.ToString(CultureInfo.InvariantCulture)},tls" });
        var read = await Processes.RunAsync("tshark",
            ["-r", File, .. decodeAsTls, "-Y", "tcp.len > 0", "-T", "fields", "-E", "separator=;", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tls.handshake.type"],
            timeout: TimeSpan.FromMinutes(10));
        Assert.True(read.ExitCode == 0, read.ToString());
        return [.. read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(CapturedSegment.Parse)];
    }

    /// <summary>True when <paramref name="text"/> appears in the captured bytes as UTF-8, anywhere.</summary>
    public async Task<bool> Contains(string text)
    {
        var bytes = await System.IO.File.ReadAllBytesAsync(File);
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    public override string ToString() => _log.ToString();

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _tshark.Dispose();
    }
}

/// <summary>One captured packet with a TCP payload: its ports and the TLS handshake message types it carries (1 = ClientHello).</summary>
public sealed record CapturedSegment(string From, string To, IReadOnlyList<string> HandshakeTypes)
{
    public bool IsClientHello => HandshakeTypes.Contains("1");

    public static CapturedSegment Parse(string line)
    {
        var fields = line.Split(';');
        return new CapturedSegment(fields[0], fields.Length > 1 ? fields[1] : "", fields.Length > 2 ? fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : []);
    }

    public override string ToString() => $"{From} -> {To}";
}

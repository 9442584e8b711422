using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Web;

namespace Sched.Scheduler.Cli;

/// <summary>
/// An ssh:// address: `ssh -N -L` from a free loopback port here to the API on the node's own loopback, optionally
/// through a jump host (ssh -J), so a node whose API listens on 127.0.0.1 only is reached from anywhere ssh reaches.
/// ssh://root@node1.local[:22][?api=4080] with the user's own ssh configuration and keys; $SCHED_SSH_OPTIONS adds
/// options (e.g. -F FILE). The tunnel lives as long as the command.
/// </summary>
public sealed class SshTunnel : IDisposable
{
    public const int DefaultApiPort = 4080;
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _ssh;

    private SshTunnel(Process ssh, Uri local)
    {
        _ssh = ssh;
        Local = local;
    }

    /// <summary>The HTTP address to use here: the tunnel's loopback end.</summary>
    public Uri Local { get; }

    public static bool IsSsh(string address) => address.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase);

    public static SshTunnel Open(string address, string? jump, Func<string, string?> env)
    {
        // Not System.Uri: it turns the host "loopback" (an ssh config alias, say) into "localhost".
        var rest = address["ssh://".Length..];
        var query = rest.Contains('?', StringComparison.Ordinal) ? rest[rest.IndexOf('?', StringComparison.Ordinal)..] : "";
        var destination = rest[..(rest.Length - query.Length)].TrimEnd('/');
        var at = destination.LastIndexOf('@');
        var colon = destination.LastIndexOf(':');
        var sshPort = colon > at ? destination[(colon + 1)..] : null;
        var target = colon > at ? destination[..colon] : destination;
        if (target.Length <= at + 1 || target.Contains('/', StringComparison.Ordinal)
            || (sshPort is not null && !int.TryParse(sshPort, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"--addr '{address}' is not an ssh address; use e.g. ssh://root@node1.local or ssh://root@node1.local:2222?api=4080");
        }

        var apiText = HttpUtility.ParseQueryString(query)["api"];
        var apiPort = DefaultApiPort;
        if (apiText is not null && (!int.TryParse(apiText, NumberStyles.None, CultureInfo.InvariantCulture, out apiPort) || apiPort is < 1 or > 65535))
        {
            throw new CliException($"--addr '{address}': api={apiText} is not a port; use e.g. ?api=4080 (the node's HTTP API port on its loopback)");
        }

        var localPort = FreeLoopbackPort();
        var info = new ProcessStartInfo("ssh") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var option in (env("SCHED_SSH_OPTIONS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(option);
        }

        foreach (var arg in new[] { "-N", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes", "-L", $"127.0.0.1:{localPort}:127.0.0.1:{apiPort}" })
        {
            info.ArgumentList.Add(arg);
        }
        if (jump is not null)
        {
            info.ArgumentList.Add("-J");
            info.ArgumentList.Add(jump);
        }

        if (sshPort is not null)
        {
            info.ArgumentList.Add("-p");
            info.ArgumentList.Add(sshPort);
        }

        info.ArgumentList.Add(target);
        Process ssh;
        try
        {
            ssh = Process.Start(info) ?? throw new CliException("ssh did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"--addr '{address}' needs the ssh client on PATH: {e.Message}");
        }

        var stderr = ssh.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!Answers(localPort))
        {
            if (ssh.HasExited || clock.Elapsed > OpenTimeout)
            {
                Stop(ssh);
                var said = stderr.Wait(TimeSpan.FromSeconds(2)) ? stderr.Result.Trim() : "";
                throw new CliException($"--addr '{address}': the ssh tunnel did not open{(jump is null ? "" : $" (through {jump})")}: "
                    + (said.Length > 0 ? said : $"nothing listened on 127.0.0.1:{localPort} within {OpenTimeout.TotalSeconds:0} s"));
            }

            Thread.Sleep(50);
        }

        return new SshTunnel(ssh, new Uri($"http://127.0.0.1:{localPort.ToString(CultureInfo.InvariantCulture)}/"));
    }

    public void Dispose()
    {
        Stop(_ssh);
        _ssh.Dispose();
    }

    private static void Stop(Process ssh)
    {
        if (!ssh.HasExited)
        {
            ssh.Kill();
            ssh.WaitForExit(2000);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

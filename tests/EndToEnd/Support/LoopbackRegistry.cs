using System.Diagnostics;
using System.Globalization;
using Sched.EndToEnd.Deploy;

namespace Sched.EndToEnd.Support;

/// <summary>
/// Debian's docker-registry on a free loopback port, plain HTTP, its storage in a temp folder; with a user, it
/// wants that login (htpasswd, bcrypt). Gone, with its folder, when disposed.
/// </summary>
public sealed class LoopbackRegistry : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;
    private readonly CapturedOutput _log;

    private LoopbackRegistry(string dir, int port, Process process, CapturedOutput log)
    {
        _dir = dir;
        Host = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        _process = process;
        _log = log;
    }

    /// <summary>host:port, as an image reference starts: 127.0.0.1:PORT/name:tag.</summary>
    public string Host { get; }

    public static async Task<LoopbackRegistry> Start(string? user = null, string? password = null)
    {
        Assert.True(Tools.OnPath("docker-registry"), "docker-registry is not installed (Debian package docker-registry; deploy/lib/install-test-tools.sh)");
        var dir = Reaper.OwnedFolder("sched-registry-");
        var port = Ports.FreeLoopback();
        var auth = "";
        if (user is not null)
        {
            var htpasswd = await Processes.RunAsync("htpasswd", ["-Bbn", user, password ?? ""]);
            Assert.True(htpasswd.ExitCode == 0, $"htpasswd (Debian package apache2-utils): {htpasswd}");
            await File.WriteAllTextAsync(Path.Combine(dir, "htpasswd"), htpasswd.Stdout);
            auth = $"auth: {{ htpasswd: {{ realm: sched-test, path: {Path.Combine(dir, "htpasswd")} }} }}\n";
        }

        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nlog: {{ level: warn }}\nstorage: {{ filesystem: {{ rootdirectory: {Path.Combine(dir, "data")} }} }}\n"
            + $"http: {{ addr: 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)} }}\n{auth}");
        var log = new CapturedOutput(Path.Combine(dir, "registry.log"));
        var process = Processes.Start("docker-registry", ["serve", config], log);
        var registry = new LoopbackRegistry(dir, port, process, log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.Until(
            async () =>
            {
                Assert.False(process.HasExited, $"docker-registry exited with {(process.HasExited ? process.ExitCode : 0)}: {log}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://{registry.Host}/v2/"));
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30), $"docker-registry answers on {registry.Host}", () => Task.FromResult(log.ToString()));
        return registry;
    }

    /// <summary>Pushes an image of the machine's store there as HOST/name:tag, with the login if given; returns that reference.</summary>
    public async Task<string> Push(string image, string nameAndTag, string? credentials = null)
    {
        var target = $"{Host}/{nameAndTag}";
        string[] creds = credentials is null ? [] : ["--creds", credentials];
        var push = await Processes.RunAsync("podman", [.. TestPodman.CliArgs, "push", "--tls-verify=false", .. creds, image, $"docker://{target}"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(push.ExitCode == 0, $"podman push {image} {target}: {push}\nregistry log: {_log}");
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        Reaper.Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

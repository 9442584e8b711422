using System.Diagnostics;
using System.Globalization;

namespace Sched.EndToEnd.Rootless;

/// <summary>
/// An ordinary user made for the test (as the owner's `admin`), with subordinate ids and its own podman API service on
/// $XDG_RUNTIME_DIR/podman/podman.sock, and a copy of the sched build it can read: the checkout may sit in root's home.
/// Everything the user runs is killed afterwards; the user stays for the next run.
/// </summary>
public sealed class RootlessPodman : IAsyncLifetime
{
    public const string User = "sched-rootless";
    private const string TempPrefix = "sched-e2e-rootless-";
    private Process? _service;

    public string Root { get; } = Reaper.OwnedFolder(TempPrefix);

    public string RuntimeDir => Path.Combine(Root, "run");

    public string Socket => Path.Combine(RuntimeDir, "podman", "podman.sock");

    public string Home => $"/home/{User}";

    public string SchedBinary => Path.Combine(Root, "bin", "sched");

    /// <summary>setpriv execs (runuser and su fork): the pid a test holds is the process it started.</summary>
    public IReadOnlyList<string> AsUser =>
        ["setpriv", $"--reuid={User}", $"--regid={User}", "--init-groups", "--reset-env", "--", "env", $"HOME={Home}", $"USER={User}",
         $"XDG_RUNTIME_DIR={RuntimeDir}", "PATH=/usr/local/bin:/usr/bin:/bin"];

    public async Task InitializeAsync()
    {
        await Reaper.ReapAbandoned(TempPrefix, async dir =>
        {
            await Processes.RunAsync("pkill", ["-KILL", "-u", User]);
            Directory.Delete(dir, recursive: true);
        });
        if ((await Processes.RunAsync("id", [User])).ExitCode != 0)
        {
            await Processes.Must("useradd", "--create-home", "--shell", "/bin/bash", User);
        }

        if (!(await File.ReadAllTextAsync("/etc/subuid")).Contains($"{User}:", StringComparison.Ordinal))
        {
            await Processes.Must("usermod", "--add-subuids", "300000-365535", "--add-subgids", "300000-365535", User);
        }

        Directory.CreateDirectory(Path.Combine(RuntimeDir, "podman"));
        await Processes.Must("cp", "-a", Path.GetDirectoryName(Repo.SchedBinary)!, Path.Combine(Root, "bin"));
        await Processes.Must("chown", "-R", $"{User}:{User}", Root);
        await Processes.Must("chmod", "700", RuntimeDir);
        var log = new CapturedOutput(Path.Combine(Root, "podman.log"));
        _service = Processes.Start(AsUser[0], [.. AsUser.Skip(1), "podman", "system", "service", "--time=0", $"unix://{Socket}"], log);
        await Wait.Until(async () => (await Processes.RunAsync("curl", ["-sf", "--max-time", "2", "--unix-socket", Socket, "http://d/_ping"])).ExitCode == 0,
            TimeSpan.FromSeconds(60), $"{User}'s podman API on {Socket}", () => Task.FromResult(log.ToString()));
    }

    /// <summary>What that user's podman says of itself, by a Go template (e.g. {{.Host.CgroupsVersion}}).</summary>
    public async Task<string> Info(string template) =>
        (await Processes.Must(AsUser[0], [.. AsUser.Skip(1), "podman", "--url", $"unix://{Socket}", "info", "--format", template])).Trim();

    public async Task DisposeAsync()
    {
        Reaper.Kill(_service);
        await Processes.RunAsync("pkill", ["-KILL", "-u", User]);
        await Task.Delay(200);
        Directory.Delete(Root, recursive: true);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{User}'s podman on {Socket}");
}

using System.Diagnostics;

namespace Sched.EndToEnd.Deploy;

/// <summary>
/// The linux-arm64 build as the cluster gets it: `deploy/publish.sh` (defaults) into artifacts/linux-arm64, run on
/// this x86_64 machine by qemu-aarch64-static with the arm64 sysroot of deploy/lib/arm64-sysroot.sh (`-L`; no
/// binfmt_misc). Built once for the tests of <see cref="Arm64BuildSpecs"/>.
/// </summary>
public sealed class Arm64Build : IAsyncLifetime
{
    public const string Qemu = "qemu-aarch64-static";

    /// <summary>Where arm64-sysroot.sh keeps its sysroot unless SCHED_ARM64_SYSROOT names another folder.</summary>
    public string Sysroot { get; } = Environment.GetEnvironmentVariable("SCHED_ARM64_SYSROOT") is { Length: > 0 } dir
        ? dir
        : "/var/cache/sched-arm64-sysroot/root";

    public string PublishDir { get; } = DeployFiles.Path("artifacts", "linux-arm64");

    public string Executable => Path.Combine(PublishDir, "sched");

    public TimeSpan SysrootTime { get; private set; }

    public TimeSpan PublishTime { get; private set; }

    public string PublishOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!Tools.OnPath(Qemu))
        {
            throw new InvalidOperationException($"{Qemu} is not installed: run deploy/lib/install-test-tools.sh (Debian package qemu-user-static)");
        }

        // Idempotent: seconds when the sysroot is there, a download of ~14 MB of .debs when not.
        var clock = Stopwatch.StartNew();
        var sysroot = await Processes.RunAsync(DeployFiles.Path("deploy", "lib", "arm64-sysroot.sh"), [Sysroot], timeout: TimeSpan.FromMinutes(10));
        SysrootTime = clock.Elapsed;
        if (sysroot.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/lib/arm64-sysroot.sh {Sysroot} failed: {sysroot}");
        }

        // The real script with its defaults, as the owner runs it; ReadyToRun for arm64 takes minutes on a busy machine.
        clock.Restart();
        var publish = await Processes.RunAsync(DeployFiles.Path("deploy", "publish.sh"), [], timeout: TimeSpan.FromMinutes(25));
        PublishTime = clock.Elapsed;
        PublishOutput = publish.Stdout;
        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"deploy/publish.sh failed or left no {Executable}: {publish}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts the published sched under qemu with these arguments, output going to <paramref name="log"/>.</summary>
    public Process Start(IEnumerable<string> args, CapturedOutput log, string workingDirectory) =>
        Processes.Start(Qemu, ["-L", Sysroot, Executable, .. args], log, ChildEnvironment(), workingDirectory, Unset);

    public Task<ProcessResult> Run(IEnumerable<string> args, TimeSpan timeout) =>
        Processes.RunAsync(Qemu, ["-L", Sysroot, Executable, .. args], ChildEnvironment(), timeout, Unset);

    /// <summary>
    /// W^X off under qemu only: the runtime writes code through one mapping and runs it through another, and qemu's
    /// user mode keeps running what it translated from the old bytes when memory of a freed dynamic method is
    /// reused. The agent then died at start with NullReferenceException inside IL-emitted stubs (a reflection
    /// invoke stub in Akka's serializer setup, once the DI resolver). On a board the CPU sees the new bytes.
    /// </summary>
    private static Dictionary<string, string> ChildEnvironment() => new()
    {
        ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>The podman socket variables, which would change the agent's settings (the runner leaves out SCHED_* and JOURNAL_STREAM itself).</summary>
    private static readonly string[] Unset = ["CONTAINER_HOST", "DOCKER_HOST"];
}

/// <summary>Runs alone, after the other end-to-end tests: publishing and qemu take both cores for minutes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Arm64BuildCollection : ICollectionFixture<Arm64Build>
{
    public const string Name = "linux-arm64 build under qemu";
}

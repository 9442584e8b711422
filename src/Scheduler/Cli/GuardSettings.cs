using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>`sched guard` reads the agent's own settings (flags, SCHED_* environment, --config file) for these.</summary>
public sealed class GuardSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("the agent's file of SCHED_*=value lines (as systemd's EnvironmentFile) for flags not given here")]
    public string? Config { get; init; }

    [CommandOption("--data-dir <DIR>")]
    [Description("the agent's state directory, where it renews the fencing lease (default /var/lib/sched)")]
    public string? DataDir { get; init; }

    [CommandOption("--cluster-id <ID>")]
    [Description("the cluster whose containers (label sched.cluster) this guard stops (default: sched)")]
    public string? ClusterId { get; init; }

    [CommandOption("--podman-socket <PATH>")]
    [Description("podman API socket (default: $CONTAINER_HOST, $DOCKER_HOST, /run/podman/podman.sock; not root: $XDG_RUNTIME_DIR/podman/podman.sock)")]
    public string? PodmanSocket { get; init; }
}

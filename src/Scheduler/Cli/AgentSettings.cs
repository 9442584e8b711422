using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class AgentSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("file of SCHED_*=value lines (as systemd's EnvironmentFile) for flags not given here")]
    public string? Config { get; init; }

    [CommandOption("--dev")]
    [Description("one process that is seed, scheduler and worker, on 127.0.0.1")]
    public bool Dev { get; init; }

    [CommandOption("--seed <HOST:PORT>")]
    [Description("cluster seed node, e.g. node1.local:4053 (repeatable)")]
    public string[] Seeds { get; init; } = [];

    [CommandOption("--host <HOST>")]
    [Description("address other nodes reach this one at (default: 127.0.0.1 with --dev, else the hostname)")]
    public string? Host { get; init; }

    [CommandOption("--bind <ADDRESS>")]
    [Description("local address the cluster port listens on, e.g. 0.0.0.0, while others reach it by --host's name: a changed DHCP address changes nothing (default: what --host resolves to)")]
    public string? Bind { get; init; }

    [CommandOption("--port <PORT>")]
    [Description("cluster port (default 4053; 0 with --dev picks a free one)")]
    public int? Port { get; init; }

    [CommandOption("--roles <ROLES>")]
    [Description("scheduler,worker (default: both with --dev, else worker)")]
    public string? Roles { get; init; }

    [CommandOption("--http <ADDR>")]
    [Description("HTTP API address on scheduler nodes (default 127.0.0.1:4080; off to disable)")]
    public string? Http { get; init; }

    [CommandOption("--data-dir <DIR>")]
    [Description("state directory (default ./.sched with --dev, else /var/lib/sched)")]
    public string? DataDir { get; init; }

    [CommandOption("--token-file <FILE>")]
    [Description("API token file every scheduler node shares; it must exist (default: DATA-DIR/api-token, generated on first start)")]
    public string? TokenFile { get; init; }

    [CommandOption("--cluster-id <ID>")]
    [Description("id this cluster's containers are labelled with (sched.cluster); agents leave others' alone (default: sched; with --dev, dev- and a hash of the data dir)")]
    public string? ClusterId { get; init; }

    [CommandOption("--tls-dir <DIR>")]
    [Description("directory with ca.crt, node.crt and node.key (from `sched cert issue`) for mutual TLS between nodes; required unless --dev or --insecure-cluster")]
    public string? TlsDir { get; init; }

    [CommandOption("--https")]
    [Description("serve the HTTP API over HTTPS with this node's certificate from --tls-dir; clients check it against the cluster CA (sched --ca)")]
    public bool Https { get; init; }

    [CommandOption("--insecure-cluster")]
    [Description("run the cluster transport without TLS: anyone who reaches the cluster port controls the node")]
    public bool InsecureCluster { get; init; }

    [CommandOption("--podman-socket <PATH>")]
    [Description("podman API socket (default: $CONTAINER_HOST, $DOCKER_HOST, /run/podman/podman.sock; not root: $XDG_RUNTIME_DIR/podman/podman.sock)")]
    public string? PodmanSocket { get; init; }

    [CommandOption("--node-name <NAME>")]
    [Description("this node's name (default: the hostname)")]
    public string? NodeName { get; init; }

    [CommandOption("--label <KEY=VALUE>")]
    [Description("node label for placement constraints (repeatable)")]
    public string[] Labels { get; init; } = [];

    [CommandOption("--allow-host-path <DIR>")]
    [Description("host directory shards may bind-mount, with everything below it (repeatable; default: none)")]
    public string[] AllowHostPaths { get; init; } = [];

    [CommandOption("--publish-address <IP>")]
    [Description("host address shards' published ports bind to (default: every address)")]
    public string? PublishAddress { get; init; }

    [CommandOption("--registry-auth <FILE>")]
    [Description("registry logins for image pulls, as `podman login --authfile FILE REGISTRY` writes them (default: podman's own)")]
    public string? RegistryAuth { get; init; }

    [CommandOption("--reserve-memory <SIZE>")]
    [Description("memory kept for the system, not given to shards (default 512Mi)")]
    public string? ReserveMemory { get; init; }

    [CommandOption("--reserve-cpus <CPUS>")]
    [Description("CPUs kept for the system (default 0.5)")]
    public string? ReserveCpus { get; init; }

    [CommandOption("--heartbeat-pause <DURATION>")]
    [Description("silence before a node counts as unreachable (default 2s)")]
    public string? HeartbeatPause { get; init; }

    [CommandOption("--down-after <DURATION>")]
    [Description("how long a node stays unreachable before the majority downs it (default 3s)")]
    public string? DownAfter { get; init; }

    [CommandOption("--fencing-margin <DURATION>")]
    [Description("wait after a down before its shards run elsewhere, so the node has fenced (default 1s)")]
    public string? FencingMargin { get; init; }

    [CommandOption("--retain-finished <DURATION>")]
    [Description("how long a finished job stays, with its containers, after it finished; then they are removed and its logs archived (default 24h)")]
    public string? RetainFinished { get; init; }

    [CommandOption("--prune-images-after <DURATION>")]
    [Description("an image this node copied or pulled, unused by any container for this long, is removed; images built or pushed here never are; off keeps all (default 72h)")]
    public string? PruneImagesAfter { get; init; }

    [CommandOption("--retain-finished-count <N>")]
    [Description("how many finished jobs are kept at most; the oldest finished go first (default 1000)")]
    public string? RetainFinishedCount { get; init; }
}

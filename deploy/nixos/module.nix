# NixOS module: services.sched runs `sched agent` on this machine (one per node), with podman's API socket.
#
#   imports = [ "${sched}/deploy/nixos/module.nix" ];
#   services.sched = { enable = true; package = ...; };   # seeds: node1..node3 by default
#
# See flake-example.nix next to this file for the whole cluster (node1..node3 seeds and schedulers, node4..node7
# workers)
# and for the `package` built from `deploy/publish.sh` (linux-arm64).
#
# Every option below except enable, package, openFirewall and extraArgs is one `sched agent` flag
# (fooBar <-> --foo-bar; seeds <-> --seed and labels <-> --label, the repeatable flags) and reaches the agent as
# the SCHED_* environment variable that src/Scheduler/Cli/AgentSettingsSources.cs reads. An option left at null
# is not set, so the agent's own default applies (the option's description names it).
# tests/EndToEnd/Deploy checks both against the real `sched agent --help`, so they cannot drift apart.
#
# Not a flag, on purpose: the agent logs compact JSON when systemd's journal reads its stdout (systemd sets
# JOURNAL_STREAM), so `journalctl -fu sched | grep placed` needs nothing here.
{ config, lib, utils, ... }:

# No `with lib;`: without it, `nix-instantiate --parse` already rejects a misspelled name.
let
  inherit (lib)
    concatStringsSep filterAttrs hasPrefix last literalExpression mapAttrsToList
    mkEnableOption mkIf mkOption optional splitString toInt types;

  cfg = config.services.sched;

  rootless = cfg.user != "root";

  isScheduler = builtins.elem "scheduler" cfg.roles;

  # "0.0.0.0:4080" -> 4080; null or "off" -> null. Only a scheduler node serves HTTP.
  httpPort =
    if cfg.http == null || cfg.http == "off" then null
    else toInt (last (splitString ":" cfg.http));
  httpIsLoopback = cfg.http != null && (hasPrefix "127." cfg.http || hasPrefix "[::1]" cfg.http);

  nonEmpty = list: if list == [ ] then null else concatStringsSep "," list;

  # Names exactly as AgentSettingsSources reads them; null values are left out (the agent's default applies).
  environment = filterAttrs (_: value: value != null) {
    SCHED_SEEDS = nonEmpty cfg.seeds;
    SCHED_HOST = cfg.host;
    SCHED_BIND = cfg.bind;
    SCHED_PORT = toString cfg.port;
    SCHED_ROLES = concatStringsSep "," cfg.roles;
    SCHED_HTTP = cfg.http;
    SCHED_DATA_DIR = cfg.dataDir;
    SCHED_TOKEN_FILE = cfg.tokenFile;
    SCHED_CLUSTER_ID = cfg.clusterId;
    SCHED_PODMAN_SOCKET = cfg.podmanSocket;
    SCHED_NODE_NAME = cfg.nodeName;
    SCHED_LABELS = nonEmpty (mapAttrsToList (key: value: "${key}=${value}") cfg.labels);
    SCHED_ALLOW_HOST_PATHS = nonEmpty cfg.allowHostPaths;
    SCHED_PUBLISH_ADDRESS = cfg.publishAddress;
    SCHED_REGISTRY_AUTH = cfg.registryAuth;
    SCHED_RESERVE_MEMORY = cfg.reserveMemory;
    SCHED_RESERVE_CPUS = cfg.reserveCpus;
    SCHED_HEARTBEAT_PAUSE = cfg.heartbeatPause;
    SCHED_DOWN_AFTER = cfg.downAfter;
    SCHED_FENCING_MARGIN = cfg.fencingMargin;
    SCHED_RETAIN_FINISHED = cfg.retainFinished;
    SCHED_PRUNE_IMAGES_AFTER = cfg.pruneImagesAfter;
    SCHED_RETAIN_FINISHED_COUNT = if cfg.retainFinishedCount == null then null else toString cfg.retainFinishedCount;
    SCHED_INSECURE_CLUSTER = if cfg.insecureCluster then "1" else null;
    SCHED_HTTPS = if cfg.https then "1" else null;
  };

  # The node's TLS files, handed to the service by systemd (LoadCredential): it copies them from tlsDir into
  # /run/credentials/sched.service, readable by the service only, and the agent reads them there (%d).
  tlsFiles = [ "ca.crt" "node.crt" "node.key" ];

  nullOrStr = types.nullOr types.str;
in
{
  options.services.sched = {
    enable = mkEnableOption "the sched agent (podman container scheduler), one per cluster node";

    package = mkOption {
      type = types.package;
      example = literalExpression "sched.packages.aarch64-linux.default";
      description = ''
        The sched package: a derivation with bin/sched (see flake-example.nix, which builds it from the
        linux-arm64 output of deploy/publish.sh).
      '';
    };

    seeds = mkOption {
      type = types.listOf types.str;
      default = [ "node1.local:4053" "node2.local:4053" "node3.local:4053" ];
      example = [ "node1.local:4053" "node2.local:4053" "node3.local:4053" ];
      description = ''
        Cluster seed nodes as host:port (--seed). Every node, the seeds included, lists the same seeds in the
        same order. Only the first may start a new cluster, and only after the others said they are in none
        (or did not answer for 10 s); so a restarted node1 joins the cluster node2 and node3 are in, instead
        of starting a second one. Give three: with one, a restart of that node splits the cluster.
      '';
    };

    host = mkOption {
      type = nullOrStr;
      default = null;
      example = "node2.local";
      description = ''
        The address other nodes reach this one at (--host); the agent also binds the cluster port to what this
        name resolves to on this machine, so it must not resolve to a loopback address here. NixOS maps
        networking.hostName (and its FQDN) to 127.0.0.2 in /etc/hosts: use the node's LAN address or a name
        such as node2.local that resolves to it (mDNS), not the bare hostname. null: the hostname.
      '';
    };

    bind = mkOption {
      type = nullOrStr;
      default = null;
      example = "0.0.0.0";
      description = ''
        Local address the cluster port listens on (--bind), e.g. 0.0.0.0, while the other nodes reach this one
        by host's name: a changed DHCP address then changes nothing. null: what host resolves to.
      '';
    };

    port = mkOption {
      type = types.port;
      default = 4053;
      description = "Cluster port (--port), TCP, between all nodes.";
    };

    roles = mkOption {
      type = types.listOf (types.enum [ "scheduler" "worker" ]);
      default = [ "worker" ];
      example = [ "scheduler" "worker" ];
      description = ''
        Roles of this node (--roles). The scheduler runs as a cluster singleton on the nodes with the
        scheduler role; workers run the shards' containers.
      '';
    };

    http = mkOption {
      type = nullOrStr;
      default = null;
      example = "0.0.0.0:4080";
      description = ''
        HTTP API address IP:PORT on scheduler nodes (--http), or "off". null: the agent's default,
        127.0.0.1:4080 (this machine only). Ignored on worker-only nodes.
      '';
    };

    dataDir = mkOption {
      type = types.str;
      default = "/var/lib/sched";
      description = ''
        State directory (--data-dir), owned by root, mode 0700. The default is the service's StateDirectory;
        another path is created by systemd-tmpfiles and made writable for the service.
      '';
    };

    clusterId = mkOption {
      type = nullOrStr;
      default = null;
      example = "home";
      description = ''
        Id every container of this cluster is labelled with (sched.cluster, --cluster-id): an agent lists, adopts
        and removes only containers with its own id. Give all nodes of one cluster the same id. null: "sched".
      '';
    };

    tokenFile = mkOption {
      type = nullOrStr;
      default = null;
      example = "/run/secrets/sched-api-token";
      description = ''
        File holding the HTTP API token (--token-file): one line of at least 16 characters, mode 0600, as a
        path outside the Nix store (a secret from agenix or sops-nix, or a file copied there once). It must
        exist when the agent starts. Give every scheduler node the same file, so that any of them accepts the
        token the CLI sends. null: the agent generates dataDir/api-token on first start (enough with one
        scheduler node); `sched` run as root on that node reads it from there.
      '';
    };

    podmanSocket = mkOption {
      type = nullOrStr;
      default = null;
      example = "/run/podman/podman.sock";
      description = ''
        podman's API socket (--podman-socket). null: podman's own default for the service's user, which is the
        rootful socket this module enables for root (/run/podman/podman.sock: virtualisation.podman,
        podman.socket), and the user's socket for another user (/run/user/UID/podman/podman.sock).
      '';
    };

    nodeName = mkOption {
      type = nullOrStr;
      default = null;
      example = "node2";
      description = "This node's name in the cluster (--node-name). null: the hostname up to its first dot.";
    };

    labels = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { disk = "ssd"; shelf = "top"; };
      description = ''
        Node labels for placement constraints (--label KEY=VALUE). The agent adds arch and node itself.
      '';
    };

    allowHostPaths = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "/data" ];
      description = ''
        Host directories shards may bind-mount, with everything below them (--allow-host-path, repeatable).
        Empty: no host path at all, only named volumes. Give every node the same list: the API checks
        submissions against its own node's list, and every agent checks again.
      '';
    };

    publishAddress = mkOption {
      type = nullOrStr;
      default = null;
      example = "192.168.1.12";
      description = "Host address the shards' published ports bind to (--publish-address). null: every address.";
    };

    registryAuth = mkOption {
      type = nullOrStr;
      default = null;
      example = "/var/lib/sched/registry-auth.json";
      description = ''
        Registry logins for image pulls (--registry-auth), as `podman login --authfile FILE REGISTRY` writes them;
        read at every pull. null: podman's own logins (root's `podman login`). Keep it out of the Nix store.
      '';
    };

    reserveMemory = mkOption {
      type = nullOrStr;
      default = null;
      example = "768Mi";
      description = "Memory kept for the system, not given to shards (--reserve-memory). null: 512Mi.";
    };

    reserveCpus = mkOption {
      type = nullOrStr;
      default = null;
      example = "0.5";
      description = ''
        CPUs kept for the system (--reserve-cpus), a string such as "0.5" (Nix would print the float 0.5 as
        0.500000). null: 0.5.
      '';
    };

    heartbeatPause = mkOption {
      type = nullOrStr;
      default = null;
      example = "2s";
      description = "Silence before a node counts as unreachable (--heartbeat-pause). null: 2s.";
    };

    downAfter = mkOption {
      type = nullOrStr;
      default = null;
      example = "3s";
      description = ''
        How long a node stays unreachable before the majority downs it (--down-after). null: 3s.
        Must be the same on every node.
      '';
    };

    fencingMargin = mkOption {
      type = nullOrStr;
      default = null;
      example = "1s";
      description = ''
        Wait after a down before the node's shards run elsewhere, so it has fenced (--fencing-margin). null: 1s.
      '';
    };

    pruneImagesAfter = mkOption {
      type = nullOrStr;
      default = null;
      example = "168h";
      description = ''
        An image this node copied from another node or pulled, unused by any container for this long, is removed
        (--prune-images-after); images built or pushed on this node never are. "off" keeps every image. null: 72h.
      '';
    };

    retainFinished = mkOption {
      type = nullOrStr;
      default = null;
      example = "72h";
      description = ''
        How long a finished job stays, with its containers, after it finished (--retain-finished); then the
        scheduler removes it and every node removes its containers, keeping each shard's log tail. null: 24h.
      '';
    };

    retainFinishedCount = mkOption {
      type = types.nullOr types.ints.unsigned;
      default = null;
      example = 200;
      description = ''
        How many finished jobs are kept at most, oldest finished removed first (--retain-finished-count). null: 1000.
      '';
    };

    tlsDir = mkOption {
      type = types.str;
      default = "/var/lib/sched/tls";
      example = "/run/agenix/sched-tls";
      description = ''
        Directory on this node with ca.crt, node.crt and node.key, the files `sched cert issue NODE` writes
        (--tls-dir): mutual TLS between the nodes, from the cluster's own CA. A path outside the Nix store, as a
        string (a Nix path would copy the key into the world-readable store): files copied there once with
        mode 0600, or secrets from agenix or sops-nix. systemd hands them to the agent with LoadCredential, so
        the agent reads its copies in /run/credentials/sched.service. Not used with insecureCluster.
      '';
    };

    insecureCluster = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Run the cluster transport without TLS (--insecure-cluster): anyone who reaches the cluster port can
        join the cluster and run containers on every node. For a trial on an isolated network only.
      '';
    };

    https = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Serve the HTTP API and /metrics over HTTPS with this node's certificate from tlsDir (--https), so the
        API token never crosses the network in clear. The CLI checks the certificate against the cluster CA
        (sched --ca FILE); Prometheus needs scheme https and tls_config.ca_file
        (deploy/prometheus/scrape.yml). Issue the certificate with every name clients dial (--san node1.local).
      '';
    };

    user = mkOption {
      type = types.str;
      default = "root";
      example = "admin";
      description = ''
        The user the agent and its guard run as. root drives the rootful podman. Another user (rootless mode,
        as the owner runs containers today) drives that user's own podman: the module enables the user's
        podman.socket and lets the user linger, so it runs from boot without a login. Rootless podman enforces
        memory and CPU limits only on cgroup v2 with the memory and cpu controllers delegated to the user
        (systemd's user@.service delegates them); where it cannot, the agent says so at start, `sched nodes`
        shows the node unhealthy with that reason, and it takes no shard: a limit is never dropped silently.
      '';
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Open the cluster port, and on scheduler nodes the HTTP port (unless http is null, "off" or a loopback
        address), in networking.firewall.
      '';
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--label" "gpu=none" ];
      description = "More arguments for `sched agent`; a flag given here wins over the options above.";
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.seeds != [ ];
        message = ''services.sched.seeds: give the seed node(s) as host:port, e.g. [ "node1.local:4053" ].'';
      }
      {
        assertion = !(hasPrefix builtins.storeDir cfg.tlsDir);
        message = "services.sched.tlsDir: the node's key must not be in the Nix store; give a path such as /var/lib/sched/tls.";
      }
      {
        assertion = !(cfg.https && cfg.insecureCluster);
        message = "services.sched.https serves the API with the node's certificate from tlsDir: it cannot go with insecureCluster.";
      }
      {
        assertion = !(rootless && cfg.podmanSocket == "/run/podman/podman.sock");
        message = "services.sched.podmanSocket: a rootless agent (user ${cfg.user}) cannot use root's podman socket; leave it null for the user's own.";
      }
      {
        assertion = cfg.roles != [ ];
        message = ''services.sched.roles: give at least one of "scheduler", "worker".'';
      }
    ];

    # Rootful podman with its API socket: the NixOS podman module enables podman.socket (in sockets.target,
    # /run/podman/podman.sock, root:podman 0660). virtualisation.podman.dockerSocket.enable is not needed: it
    # only adds the /run/docker.sock symlink, and it conflicts with virtualisation.docker.
    virtualisation.podman.enable = true;

    # `sched nodes`, `sched run`, ... on the node itself.
    environment.systemPackages = [ cfg.package ];

    networking.firewall.allowedTCPPorts = mkIf cfg.openFirewall
      ([ cfg.port ] ++ optional (isScheduler && httpPort != null && !httpIsLoopback) httpPort);

    systemd.tmpfiles.rules = mkIf (cfg.dataDir != "/var/lib/sched") [ "d ${cfg.dataDir} 0700 ${cfg.user} - - -" ];

    # Rootless mode: the user's podman API socket from boot, without a login.
    users.users = mkIf rootless { ${cfg.user}.linger = true; };
    systemd.user.sockets.podman.wantedBy = mkIf rootless [ "sockets.target" ];

    systemd.services.sched = {
      description = "sched agent (podman container scheduler)";
      wantedBy = [ "multi-user.target" ];
      # Without the socket the agent still runs and reports this node unhealthy until podman answers.
      # The guard stops this node's containers when the agent stops renewing its lease (sched-guard below).
      wants = [ "network-online.target" "podman.socket" "sched-guard.service" ];
      after = [ "network-online.target" "podman.socket" ];
      inherit environment;
      # A cluster agent keeps trying: no start limit.
      startLimitIntervalSec = 0;

      serviceConfig = {
        ExecStart = utils.escapeSystemdExecArgs ([ "${cfg.package}/bin/sched" "agent" ] ++ cfg.extraArgs);
        # glibc gives each busy thread its own malloc arena (up to 8 per core); two keep node1 under jobs ~28 MB
        # smaller (tests/Benchmarks: 218 -> 190 MB).
        # .NET reads time zones (a periodic job's timeZone) from TZDIR, else /usr/share/zoneinfo, which NixOS lacks.
        Environment = [ "MALLOC_ARENA_MAX=2" "TZDIR=/etc/zoneinfo" ] ++ optional (!cfg.insecureCluster) "SCHED_TLS_DIR=%d";
        LoadCredential = mkIf (!cfg.insecureCluster) (map (file: "${file}:${cfg.tlsDir}/${file}") tlsFiles);
        Restart = "always";
        RestartSec = "5s";
        # The agent leaves the cluster on SIGTERM; its containers keep running and the next agent adopts them.
        TimeoutStopSec = "60s";

        # Root by default (see user), not DynamicUser: the agent drives the rootful podman API socket
        # (root:podman 0660), and any member of the podman group is root-equivalent anyway. Instead it runs
        # without capabilities and with a read-only system: it needs none (its user owns the socket and the data
        # dir; its ports are above 1024 - give CAP_NET_BIND_SERVICE back via AmbientCapabilities for a port
        # below). The containers are not children of this service (podman's conmon runs them), so none of this
        # applies to them.
        User = cfg.user;
        CapabilityBoundingSet = "";
        AmbientCapabilities = "";
        NoNewPrivileges = true;
        UMask = "0077";
        StateDirectory = mkIf (cfg.dataDir == "/var/lib/sched") "sched";
        StateDirectoryMode = "0700";
        # The fencing lease lives on tmpfs (/run/sched, $RUNTIME_DIRECTORY), so its renewals never touch the SD
        # card; the agent and the guard share the directory, and it stays while either restarts.
        RuntimeDirectory = "sched";
        RuntimeDirectoryMode = "0700";
        RuntimeDirectoryPreserve = "yes";
        # connect() to the podman socket works on a read-only mount; only the data dir is written.
        ProtectSystem = "strict";
        ReadWritePaths = [ cfg.dataDir ];
        # A rootless agent connects to its user's podman socket under /run/user (connect() works read-only).
        ProtectHome = if rootless then "read-only" else true;
        PrivateTmp = true;
        PrivateDevices = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectClock = true;
        ProtectHostname = true;
        ProtectProc = "invisible";
        # AF_NETLINK: glibc's getaddrinfo and .NET's interface queries read addresses over netlink.
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        RestrictNamespaces = true;
        RestrictRealtime = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        SystemCallArchitectures = "native";
        # The broad set every ordinary service needs; a refused call fails with EPERM instead of killing the
        # agent. Narrower sets (~@privileged, ~@resources) are left out: they are known to break runtimes.
        SystemCallFilter = [ "@system-service" ];
        SystemCallErrorNumber = "EPERM";
        # MemoryDenyWriteExecute is left off on purpose: the .NET JIT writes code and then executes it.
      };
    };
    # sched guard: the node-local half of fencing (deploy/systemd/sched-guard.service is the same unit elsewhere).
    # The agent renews a lease (the modification time of /run/sched/fence-lease) while it is a healthy, reconciled
    # member; when it stops - OOM-killed, crashed, frozen in a long stall, cut off - this guard stops every
    # container of the cluster on the node before the others run those shards again. It needs neither the cluster
    # nor the agent, so it is not bound to the agent's service. It reads SCHED_DATA_DIR, SCHED_CLUSTER_ID and
    # SCHED_PODMAN_SOCKET from the same environment (set clusterId as the option, not in extraArgs).
    systemd.services.sched-guard = {
      description = "sched guard (stops this node's sched containers when the agent's fencing lease runs out)";
      wantedBy = [ "multi-user.target" ];
      wants = [ "podman.socket" ];
      after = [ "podman.socket" ];
      inherit environment;
      startLimitIntervalSec = 0;
      serviceConfig = {
        ExecStart = utils.escapeSystemdExecArgs [ "${cfg.package}/bin/sched" "guard" ];
        # A small process: the .NET runtime, one socket, one timer. These keep its heap small on a 4 GB board.
        Environment = [ "DOTNET_GCHeapHardLimit=0x2000000" "DOTNET_gcConcurrent=0" "DOTNET_TieredPGO=0" ];
        MemoryMax = "96M";
        # The fencing lease lives on tmpfs (/run/sched, $RUNTIME_DIRECTORY), so its renewals never touch the SD
        # card; the agent and the guard share the directory, and it stays while either restarts.
        RuntimeDirectory = "sched";
        RuntimeDirectoryMode = "0700";
        RuntimeDirectoryPreserve = "yes";
        Restart = "always";
        RestartSec = "1s";
        TimeoutStopSec = "10s";
        # The agent's user without capabilities on a read-only system, as the agent: it talks to the same podman
        # socket and reads the lease in the agent's data dir; it writes nothing and needs no network at all.
        User = cfg.user;
        CapabilityBoundingSet = "";
        AmbientCapabilities = "";
        NoNewPrivileges = true;
        UMask = "0077";
        ProtectSystem = "strict";
        ProtectHome = if rootless then "read-only" else true;
        PrivateTmp = true;
        PrivateDevices = true;
        PrivateNetwork = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectClock = true;
        ProtectHostname = true;
        ProtectProc = "invisible";
        RestrictAddressFamilies = [ "AF_UNIX" ];
        RestrictNamespaces = true;
        RestrictRealtime = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        SystemCallArchitectures = "native";
        SystemCallFilter = [ "@system-service" ];
        SystemCallErrorNumber = "EPERM";
      };
    };
  };
}

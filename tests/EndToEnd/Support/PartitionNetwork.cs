namespace Sched.EndToEnd.Support;

/// <summary>
/// A private test network on this machine: a bridge holding node1's and node2's addresses (their agents stay in
/// the host's network namespace), and a network namespace for node3, joined to the bridge by a veth pair. Taking
/// the host end of the pair down cuts node3 off (a partition); bringing it up heals it. The subnet is the first of
/// 10.250.73.0/24, 10.250.74.0/24, ... that no interface uses; everything is removed afterwards.
/// The nodes know each other by name only, as the boards do over mDNS: each agent listens on all interfaces and
/// advertises <c>nodeK.test</c>, which a hosts file of this network resolves (bind-mounted over /etc/hosts in the
/// agent's own mount namespace). node3's own file maps its name to 127.0.0.2, as NixOS does with its hostname.
/// </summary>
public sealed class PartitionNetwork
{
    private const string RecordFile = "network";
    private const string NamesFile = "hosts";
    private const string Node3NamesFile = "hosts-node3";
    private readonly string _id = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..4];
    private string _recordDir = "";

    public string Namespace => $"sched-fail-{_id}";

    public string Bridge => $"sfbr{_id}";

    public string HostEnd => $"sfh{_id}";

    public string NamespaceEnd => $"sfn{_id}";

    public string Subnet { get; private set; } = "";

    public static string NameOf(string node) => $"{node}.test";

    public string AddressOf(string node) => $"{Subnet}.{node["node".Length..]}";

    public async Task Create(string recordDir)
    {
        _recordDir = recordDir;
        var used = await Processes.Must("ip", "-o", "-4", "addr", "show");
        Subnet = Enumerable.Range(73, 20).Select(i => $"10.250.{i}").FirstOrDefault(s => !used.Contains($" {s}.", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no free 10.250.x.0/24 subnet for the test network");
        await File.WriteAllLinesAsync(Path.Combine(recordDir, RecordFile), [$"netns {Namespace}", $"link {Bridge}", $"link {HostEnd}"]);
        await Processes.Must("ip", "netns", "add", Namespace);
        await Processes.Must("ip", "link", "add", Bridge, "type", "bridge");
        await Processes.Must("ip", "addr", "add", $"{AddressOf("node1")}/24", "dev", Bridge);
        await Processes.Must("ip", "addr", "add", $"{AddressOf("node2")}/24", "dev", Bridge);
        await Processes.Must("ip", "link", "set", Bridge, "up");
        await Processes.Must("ip", "link", "add", HostEnd, "type", "veth", "peer", "name", NamespaceEnd);
        await Processes.Must("ip", "link", "set", HostEnd, "master", Bridge);
        await Processes.Must("ip", "link", "set", HostEnd, "up");
        await Processes.Must("ip", "link", "set", NamespaceEnd, "netns", Namespace);
        await Processes.Must("ip", "-n", Namespace, "addr", "add", $"{AddressOf("node3")}/24", "dev", NamespaceEnd);
        await Processes.Must("ip", "-n", Namespace, "link", "set", NamespaceEnd, "up");
        await Processes.Must("ip", "-n", Namespace, "link", "set", "lo", "up");
        await WriteNames();
    }

    /// <summary>node3 loses the network: no packet crosses, nothing is reset (as when a cable or a switch port dies).</summary>
    public Task Cut() => Processes.Must("ip", "link", "set", HostEnd, "down");

    public Task Heal() => Processes.Must("ip", "link", "set", HostEnd, "up");

    private async Task WriteNames()
    {
        string[] Lines(string node3Address) => ["127.0.0.1 localhost", $"{AddressOf("node1")} {NameOf("node1")}",
            $"{AddressOf("node2")} {NameOf("node2")}", $"{node3Address} {NameOf("node3")}"];
        await File.WriteAllLinesAsync(Path.Combine(_recordDir, NamesFile), Lines(AddressOf("node3")));
        await File.WriteAllLinesAsync(Path.Combine(_recordDir, Node3NamesFile), Lines("127.0.0.2"));
    }

    /// <summary>
    /// A wrapper run by local-cluster.sh as SCHED_BIN: an agent listens on all interfaces, advertises its node's
    /// name, finds the seeds by their names, and resolves names through this network's hosts file; node3's agent runs
    /// in node3's namespace (it still reaches its podman service through the unix socket, which crosses namespaces).
    /// Other commands go to sched unchanged.
    /// </summary>
    public async Task<string> WriteAgentWrapper(string dir, int basePort)
    {
        var path = Path.Combine(dir, "sched-net");
        var script = $$"""
            #!/usr/bin/env bash
            set -euo pipefail
            real='{{Repo.SchedBinary}}'
            [ "${1:-}" = agent ] || exec "$real" "$@"
            args=("$@")
            node=
            for ((i = 0; i < ${#args[@]} - 1; i++)); do [ "${args[i]}" != --node-name ] || node=${args[i+1]}; done
            case "$node" in
              node1 | node2 | node3) ;;
              *) echo "sched-net: no name for node '$node'" >&2; exit 2 ;;
            esac
            for ((i = 0; i < ${#args[@]} - 1; i++)); do
              case "${args[i]}" in
                --host) args[i+1]=$node.test ;;
                --seed) port=${args[i+1]##*:}; args[i+1]=node$((port - {{basePort}})).test:$port ;;
              esac
            done
            args+=(--bind 0.0.0.0)
            mounted=(unshare --mount --propagation private sh -c 'mount --bind "$0" /etc/hosts && exec "$@"')
            if [ "$node" = node3 ]; then
              exec nsenter --net=/var/run/netns/{{Namespace}} "${mounted[@]}" '{{Path.Combine(_recordDir, Node3NamesFile)}}' "$real" "${args[@]}"
            fi
            exec "${mounted[@]}" '{{Path.Combine(_recordDir, NamesFile)}}' "$real" "${args[@]}"

            """;
        await File.WriteAllTextAsync(path, script.Replace("\r\n", "\n", StringComparison.Ordinal));
        await Processes.Must("chmod", "755", path);
        return path;
    }

    public Task Remove(string recordDir) => RemoveRecorded(recordDir);

    /// <summary>Removes the namespace and links recorded in the folder, if they exist.</summary>
    public static async Task RemoveRecorded(string recordDir)
    {
        var record = Path.Combine(recordDir, RecordFile);
        if (!File.Exists(record))
        {
            return;
        }

        foreach (var line in await File.ReadAllLinesAsync(record))
        {
            var parts = line.Split(' ', 2);
            switch (parts)
            {
                case ["netns", var name]:
                    await Processes.RunAsync("ip", ["netns", "del", name]);
                    break;
                case ["link", var name]:
                    await Processes.RunAsync("ip", ["link", "del", name]);
                    break;
                default:
                    break;
            }
        }

        File.Delete(record);
    }
}

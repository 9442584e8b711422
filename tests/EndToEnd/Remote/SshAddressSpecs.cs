using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Remote;

/// <summary>
/// Issue 19 acceptance 5: `sched nodes --addr ssh://...` reaches an API that listens on the node's loopback only,
/// straight and through a jump host, over a real sshd on loopback (deploy/lib/loopback-sshd.sh, its own keys and
/// config; the machine's sshd is not touched). The jump host is the same sshd: ssh -J goes through it all the same.
/// </summary>
[Collection(DevAgentCollection.Name)]
public sealed class SshAddressSpecs(DevAgent agent, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sched-sshd-{Guid.NewGuid():N}"[..24]);
    private readonly int _port = Ports.FreeLoopback();

    private string ApiPort => new Uri(agent.Address).Port.ToString(CultureInfo.InvariantCulture);

    private Dictionary<string, string> Environment => new()
    {
        ["SCHED_TOKEN"] = agent.Token,
        ["SCHED_SSH_OPTIONS"] = $"-F {Path.Combine(_dir, "ssh_config")}",
    };

    public async Task InitializeAsync()
    {
        var start = await Processes.RunAsync(Repo.PathOf("deploy", "lib", "loopback-sshd.sh"), ["start", _dir, _port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(start.ExitCode == 0, $"loopback-sshd.sh start: {start}");
    }

    public async Task DisposeAsync()
    {
        await Processes.RunAsync(Repo.PathOf("deploy", "lib", "loopback-sshd.sh"), ["stop", _dir]);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sched_nodes_through_an_ssh_address_straight_and_through_a_jump_host_prints_the_node()
    {
        var straight = await Sched("nodes", "--addr", $"ssh://loopback?api={ApiPort}");
        var jumped = await Sched("nodes", "--addr", $"ssh://loopback?api={ApiPort}", "--jump", "loopback");

        output.WriteLine(straight.ToString());
        output.WriteLine(jumped.ToString());
        Assert.True(straight.ExitCode == 0, straight.ToString());
        Assert.True(jumped.ExitCode == 0, jumped.ToString());
        Assert.Contains(agent.NodeName, straight.Stdout, StringComparison.Ordinal);
        Assert.Contains(agent.NodeName, jumped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tunnel_that_cannot_open_says_so_with_sshs_own_words()
    {
        var refused = await Sched("nodes", "--addr", "ssh://nobody-here.invalid");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--addr 'ssh://nobody-here.invalid': the ssh tunnel did not open", refused.Stderr, StringComparison.Ordinal);
    }

    private Task<ProcessResult> Sched(params string[] args) => Processes.RunAsync(Repo.SchedBinary, args, Environment, TimeSpan.FromMinutes(1));
}

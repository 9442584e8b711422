namespace Sched.EndToEnd.Security;

/// <summary>
/// Issue 14, acceptance 2: a cluster agent whose TLS files are gone refuses to start and names what is missing.
/// Real `sched cert` and `sched agent` processes; no podman, no cluster (the agent stops before it binds a port).
/// </summary>
public sealed class ClusterTlsSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-e2e-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ProcessResult> Sched(params string[] args) =>
        Processes.RunAsync(Repo.SchedBinary, args, new Dictionary<string, string> { ["NO_COLOR"] = "1" });

    private static string[] ClusterAgent(string dataDir) =>
        ["agent", "--node-name", "node3", "--host", "127.0.0.1", "--port", "0", "--seed", "127.0.0.1:1", "--http", "off", "--data-dir", dataDir];

    [Fact]
    public async Task An_agent_whose_key_was_removed_refuses_to_start_and_names_the_file()
    {
        var ca = Path.Combine(_dir, "ca");
        Assert.Equal(0, (await Sched("cert", "init", "--dir", ca)).ExitCode);
        var issue = await Sched("cert", "issue", "node3", "--dir", ca);
        Assert.True(issue.ExitCode == 0, issue.ToString());
        var nodeDir = Path.Combine(ca, "node3");
        File.Delete(Path.Combine(nodeDir, "node.key"));

        var agent = await Sched([.. ClusterAgent(Path.Combine(_dir, "data")), "--tls-dir", nodeDir]);

        Assert.NotEqual(0, agent.ExitCode);
        var lines = agent.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, agent.ToString());
        Assert.Contains($"node.key missing in TLS directory {nodeDir}", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_without_TLS_settings_refuses_to_start_unless_told_to_run_an_insecure_cluster()
    {
        var agent = await Sched(ClusterAgent(Path.Combine(_dir, "data")));

        Assert.NotEqual(0, agent.ExitCode);
        var lines = agent.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, agent.ToString());
        Assert.Contains("--tls-dir: missing", lines[0], StringComparison.Ordinal);
        Assert.Contains("--insecure-cluster", lines[0], StringComparison.Ordinal);
    }
}

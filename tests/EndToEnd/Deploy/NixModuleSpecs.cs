using System.Text.Json;

namespace Sched.EndToEnd.Deploy;

/// <summary>
/// deploy/nixos: the module parses, its options are exactly the agent's flags (so the two cannot drift apart),
/// and the flake example's nodes evaluate to the intended agent settings. There is no nixpkgs on these machines:
/// Debian's nix-instantiate parses the files, and evaluates them against tests/EndToEnd/Deploy/nixos-lib-stub.nix.
/// </summary>
public sealed class NixModuleSpecs
{
    /// <summary>Every node lists node1..node3 as seeds, node1 first (the only one that may start a cluster).</summary>
    private const string Seeds = "node1.local:4053,node2.local:4053,node3.local:4053";

    /// <summary>Module options that are about the service, not flags of `sched agent`.</summary>
    private static readonly string[] NotFlags = ["enable", "package", "openFirewall", "extraArgs", "user"];

    /// <summary>Flags that make no sense for a service: a one-process local mode, and a settings file (the module sets variables).</summary>
    private static readonly string[] NotOptions = ["help", "dev", "config"];

    [Theory]
    [InlineData("module.nix")]
    [InlineData("flake-example.nix")]
    public async Task Nix_file_parses(string file)
    {
        // --parse also rejects names bound nowhere (the module avoids `with lib;` so that this holds).
        var parse = await Nix.Instantiate("--parse", DeployFiles.Path("deploy", "nixos", file));

        Assert.True(parse.ExitCode == 0, $"nix-instantiate --parse deploy/nixos/{file}: {parse}");
    }

    [Fact]
    public async Task Every_agent_flag_is_a_module_option_and_every_module_option_is_an_agent_flag()
    {
        var flags = (await DeployFiles.AgentFlags()).Except(NotOptions).ToList();
        var options = DeployFiles.ModuleOptions();
        Assert.Superset(new SortedSet<string>(NotFlags, StringComparer.Ordinal), options);

        var flagsWithoutOption = flags.Where(f => !options.Any(o => DeployFiles.OptionIsFlag(o, f))).ToList();
        var optionsWithoutFlag = options.Except(NotFlags).Where(o => !flags.Any(f => DeployFiles.OptionIsFlag(o, f))).ToList();

        Assert.True(flagsWithoutOption.Count == 0 && optionsWithoutFlag.Count == 0,
            $"sched agent flags without a services.sched option: [{string.Join(", ", flagsWithoutOption.Select(f => "--" + f))}]; "
            + $"services.sched options without a flag: [{string.Join(", ", optionsWithoutFlag)}]. "
            + $"Flags: [{string.Join(", ", flags)}]; options: [{string.Join(", ", options)}]");
    }

    [Fact]
    public void Every_SCHED_variable_the_module_sets_is_one_the_agent_reads_and_it_sets_one_for_every_flag_option()
    {
        var reads = DeployFiles.VariablesTheAgentReads();
        Assert.Contains("SCHED_SEEDS", reads);
        var sets = DeployFiles.SchedVariables(File.ReadAllText(DeployFiles.ModuleNix));

        Assert.True(sets.IsSubsetOf(reads),
            $"module.nix sets [{string.Join(", ", sets.Except(reads))}], which AgentSettingsSources.cs does not read (it reads [{string.Join(", ", reads)}])");
        var flagOptions = DeployFiles.ModuleOptions().Except(NotFlags).ToList();
        var variables = flagOptions.Select(o => "SCHED_" + DeployFiles.Kebab(o).Replace('-', '_').ToUpperInvariant()).ToList();
        Assert.True(variables.All(sets.Contains),
            $"module.nix has options without their SCHED_* variable: [{string.Join(", ", variables.Where(v => !sets.Contains(v)))}]");
    }

    [Fact]
    public async Task Flake_example_node1_is_seed_scheduler_and_worker_with_http_open_on_4080()
    {
        var node = await EvaluateExampleNode("node1");

        Assert.Equal(new Dictionary<string, string>
        {
            ["SCHED_SEEDS"] = Seeds,
            ["SCHED_HOST"] = "node1.local",
            ["SCHED_PORT"] = "4053",
            ["SCHED_ROLES"] = "scheduler,worker",
            ["SCHED_HTTP"] = "0.0.0.0:4080",
            ["SCHED_DATA_DIR"] = "/var/lib/sched",
            ["SCHED_NODE_NAME"] = "node1",
            ["SCHED_TOKEN_FILE"] = "/etc/sched/api-token",
            ["SCHED_LABELS"] = "disk=ssd",
        }, Environment(node));
        Assert.Equal([4053, 4080], node.GetProperty("allowedTCPPorts").EnumerateArray().Select(p => p.GetInt32()));
    }

    /// <summary>node2 and node3 are seeds and scheduler nodes too, with the same token file: the scheduler survives node1's restart.</summary>
    [Theory]
    [InlineData("node2")]
    [InlineData("node3")]
    public async Task Flake_example_node2_and_node3_are_seeds_and_scheduler_nodes_sharing_node1s_token_file(string name)
    {
        var node = await EvaluateExampleNode(name);

        var environment = Environment(node);
        Assert.Equal((Seeds, "scheduler,worker", "0.0.0.0:4080", "/etc/sched/api-token"),
            (environment["SCHED_SEEDS"], environment["SCHED_ROLES"], environment["SCHED_HTTP"], environment["SCHED_TOKEN_FILE"]));
        Assert.Equal([4053, 4080], node.GetProperty("allowedTCPPorts").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Theory]
    [InlineData("node4")]
    [InlineData("node7")]
    public async Task Flake_example_workers_join_the_three_seeds_and_open_only_the_cluster_port(string name)
    {
        var node = await EvaluateExampleNode(name);

        var environment = Environment(node);
        Assert.Equal((Seeds, $"{name}.local", "worker", name),
            (environment["SCHED_SEEDS"], environment["SCHED_HOST"], environment["SCHED_ROLES"], environment["SCHED_NODE_NAME"]));
        Assert.False(environment.ContainsKey("SCHED_HTTP"), "a worker leaves --http at the agent's default");
        Assert.Equal([4053], node.GetProperty("allowedTCPPorts").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Fact]
    public async Task The_service_runs_the_package_s_sched_agent_as_root_on_a_read_only_system_and_always_restarts()
    {
        var node = await EvaluateExampleNode("node3");

        Assert.Equal("\"/nix/store/00000000000000000000000000000000-sched-0.1.0/bin/sched\" \"agent\"", node.GetProperty("execStart").GetString());
        Assert.Equal(("always", "root", "strict", "sched"),
            (node.GetProperty("restart").GetString(), node.GetProperty("user").GetString(),
             node.GetProperty("protectSystem").GetString(), node.GetProperty("stateDirectory").GetString()));
        Assert.Equal(["/var/lib/sched"], node.GetProperty("readWritePaths").EnumerateArray().Select(p => p.GetString()));
        Assert.True(node.GetProperty("podman").GetBoolean(), "the module enables virtualisation.podman (and so podman.socket)");
    }

    /// <summary>
    /// Rootless mode (user = "admin"): agent and guard run as that user, who lingers and has podman's user socket
    /// from boot; /run/user stays reachable; the agent finds the user's socket itself (no SCHED_PODMAN_SOCKET).
    /// </summary>
    [Fact]
    public async Task A_node_with_another_user_runs_agent_and_guard_as_that_user_against_its_own_podman()
    {
        var node = await EvaluateExampleNode("node5", """{ user = "admin"; }""");

        Assert.Equal(("admin", "admin", "read-only"),
            (node.GetProperty("user").GetString(), node.GetProperty("guardUser").GetString(), node.GetProperty("protectHome").GetString()));
        Assert.Equal(["admin"], node.GetProperty("lingers").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(["sockets.target"], node.GetProperty("userPodmanSocket").EnumerateArray().Select(u => u.GetString()));
        Assert.False(Environment(node).ContainsKey("SCHED_PODMAN_SOCKET"), "the agent resolves the user's socket");
    }

    [Fact]
    public async Task A_rootless_node_given_roots_podman_socket_fails_the_modules_assertion_naming_the_option()
    {
        var eval = await Nix.Instantiate("--eval", "--strict", "--json", DeployFiles.Path("tests", "EndToEnd", "Deploy", "eval-example-node.nix"),
            "--argstr", "repo", Repo.Root, "--argstr", "node", "node5", "--arg", "overrides", """{ user = "admin"; podmanSocket = "/run/podman/podman.sock"; }""");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Contains("services.sched.podmanSocket: a rootless agent (user admin) cannot use root's podman socket", eval.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every node runs the package's `sched guard` beside the agent, from the same settings (data dir, cluster id,
    /// podman socket), restarted always, started at boot and wanted by the agent's service.
    /// </summary>
    [Fact]
    public async Task Every_node_runs_the_package_s_sched_guard_with_the_agent_s_settings()
    {
        var node = await EvaluateExampleNode("node2");

        Assert.Equal("\"/nix/store/00000000000000000000000000000000-sched-0.1.0/bin/sched\" \"guard\"", node.GetProperty("guardExecStart").GetString());
        Assert.Equal("always", node.GetProperty("guardRestart").GetString());
        Assert.Equal(Environment(node), node.GetProperty("guardEnvironment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal));
        Assert.Contains("multi-user.target", node.GetProperty("guardWantedBy").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains("sched-guard.service", node.GetProperty("wants").EnumerateArray().Select(w => w.GetString()));
    }

    /// <summary>
    /// What module.nix configures for one node of flake-example.nix (tests/EndToEnd/Deploy/eval-example-node.nix);
    /// fails on settings the module does not declare, values of the wrong type and failed assertions.
    /// </summary>
    private static async Task<JsonElement> EvaluateExampleNode(string name, string overrides = "{ }")
    {
        var eval = await Nix.Instantiate("--eval", "--strict", "--json", DeployFiles.Path("tests", "EndToEnd", "Deploy", "eval-example-node.nix"),
            "--argstr", "repo", Repo.Root, "--argstr", "node", name, "--arg", "overrides", overrides);
        Assert.True(eval.ExitCode == 0, $"evaluating {name} of flake-example.nix with module.nix: {eval}");
        using var json = JsonDocument.Parse(eval.Stdout);
        var node = json.RootElement.Clone();
        foreach (var list in new[] { "unknown", "badTypes", "failedAssertions" })
        {
            var problems = node.GetProperty(list).EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.True(problems.Count == 0, $"{name} of flake-example.nix, {list}: {string.Join("; ", problems)}");
        }

        return node;
    }

    private static Dictionary<string, string> Environment(JsonElement node) =>
        node.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
}

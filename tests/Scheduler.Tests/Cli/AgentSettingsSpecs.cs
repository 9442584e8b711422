using Sched.Scheduler.Cli;

namespace Sched.Scheduler.Tests.Cli;

public sealed class AgentSettingsSpecs : IDisposable
{
    private readonly string _configFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_configFile);

    [Fact]
    public void A_flag_wins_over_the_environment_which_wins_over_the_config_file()
    {
        File.WriteAllText(_configFile, "# node2\nSCHED_SEEDS=node1.local:4053\nSCHED_PORT=4100\nSCHED_NODE_NAME=from-file\nSCHED_LABELS=disk=ssd,zone=shelf\n");
        var env = new Dictionary<string, string> { ["SCHED_CONFIG"] = _configFile, ["SCHED_PORT"] = "4200" };

        var settings = AgentSettingsSources.Complete(new AgentSettings { NodeName = "from-flag", InsecureCluster = true }, env.GetValueOrDefault);
        var config = AgentConfigResolver.Resolve(settings, env.GetValueOrDefault, "host");

        Assert.Equal(("from-flag", 4200, "node1.local:4053"), (config.NodeName, config.Port, config.Seeds.Single()));
        Assert.Equal(("ssd", "shelf", "from-flag"), (config.Labels["disk"], config.Labels["zone"], config.Labels["node"]));
        Assert.Equal(["worker"], config.Roles);
    }

    [Theory]
    [InlineData("/flag/token", "/env/token", "/flag/token")]
    [InlineData(null, "/env/token", "/env/token")]
    [InlineData(null, null, "/file/token")]
    public void The_token_file_comes_from_the_flag_then_the_environment_then_the_config_file(string? flag, string? env, string expected)
    {
        File.WriteAllText(_configFile, "SCHED_TOKEN_FILE=/file/token\n");
        var environment = new Dictionary<string, string> { ["SCHED_CONFIG"] = _configFile };
        if (env is not null)
        {
            environment["SCHED_TOKEN_FILE"] = env;
        }

        var settings = AgentSettingsSources.Complete(new AgentSettings { Dev = true, TokenFile = flag }, environment.GetValueOrDefault);

        Assert.Equal(expected, AgentConfigResolver.Resolve(settings, environment.GetValueOrDefault, "host").TokenFile);
    }

    [Fact]
    public void Every_bad_agent_flag_is_reported_at_once_naming_the_flag_and_the_accepted_form()
    {
        var flags = new AgentSettings { Roles = "boss", Http = "everywhere", Labels = ["novalue"], ReserveMemory = "lots", DownAfter = "soon" };

        var error = Assert.Throws<CliException>(() => AgentConfigResolver.Resolve(flags, _ => null, "host"));

        foreach (var expected in new[] { "--seed", "--roles: unknown role 'boss'", "--http 'everywhere'", "--label 'novalue'", "--reserve-memory 'lots'", "--down-after 'soon'" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_bad_line_in_the_config_file_names_the_file_and_line()
    {
        File.WriteAllText(_configFile, "SCHED_PORT=4053\nport 4053\n");

        var error = Assert.Throws<CliException>(() => AgentSettingsSources.Complete(new AgentSettings { Config = _configFile }, _ => null));

        Assert.Contains($"{_configFile}:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dev_mode_is_seed_scheduler_and_worker_on_loopback_with_the_default_timings()
    {
        var config = AgentConfigResolver.Resolve(new AgentSettings { Dev = true }, _ => null, "Node7.local");

        Assert.Equal(("node7", "127.0.0.1", 0, true), (config.NodeName, config.Host, config.Port, config.JoinSelf));
        Assert.True(config.IsScheduler && config.IsWorker);
        Assert.Equal("127.0.0.1:4080", config.Http?.ToString());
        Assert.Equal(TimeSpan.FromSeconds(3), config.ClusterTimings.DownAfter);
    }

    [Theory]
    [InlineData(null, 72.0 * 60)]
    [InlineData("168h", 168.0 * 60)]
    [InlineData("off", null)]
    public void Images_are_pruned_after_72h_unused_by_default_or_after_the_flag_or_never(string? flag, double? minutes)
    {
        var config = AgentConfigResolver.Resolve(new AgentSettings { Dev = true, PruneImagesAfter = flag }, _ => null, "host");

        Assert.Equal(minutes, config.PruneImagesAfter?.TotalMinutes);
    }

    [Theory]
    [InlineData("--prune-images-after", "soon")]
    [InlineData("--prune-images-after", "30s")]
    [InlineData("--registry-auth", "/nonexistent/auth.json")]
    public void A_bad_pruning_time_or_a_missing_login_file_is_refused_naming_the_flag(string flag, string value)
    {
        var settings = flag == "--registry-auth" ? new AgentSettings { Dev = true, RegistryAuth = value } : new AgentSettings { Dev = true, PruneImagesAfter = value };

        var error = Assert.Throws<CliException>(() => AgentConfigResolver.Resolve(settings, _ => null, "host"));

        Assert.Contains($"{flag} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }
}

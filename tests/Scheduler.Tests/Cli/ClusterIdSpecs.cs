using Sched.Scheduler.Cli;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>Which cluster an agent's containers belong to (label sched.cluster).</summary>
public sealed class ClusterIdSpecs
{
    private static readonly Dictionary<string, string> NoEnv = [];

    [Fact]
    public void Dev_agents_on_different_data_dirs_get_different_ids_and_the_same_data_dir_the_same_one()
    {
        var a = Resolve(new AgentSettings { Dev = true, DataDir = "/tmp/a" });
        var again = Resolve(new AgentSettings { Dev = true, DataDir = "/tmp/a" });
        var b = Resolve(new AgentSettings { Dev = true, DataDir = "/tmp/b" });

        Assert.StartsWith("dev-", a, StringComparison.Ordinal);
        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Cluster_nodes_share_the_default_id_unless_given_one_by_flag_or_environment()
    {
        var env = new Dictionary<string, string> { ["SCHED_CLUSTER_ID"] = "home" };

        Assert.Equal("sched", Resolve(new AgentSettings { Seeds = ["node1:4053"], InsecureCluster = true }));
        Assert.Equal("home", Resolve(new AgentSettings { Seeds = ["node1:4053"], InsecureCluster = true }, env));
        Assert.Equal("lab", Resolve(new AgentSettings { Seeds = ["node1:4053"], InsecureCluster = true, ClusterId = "lab" }, env));
    }

    [Fact]
    public void An_id_that_cannot_be_a_label_value_is_refused_naming_the_flag_and_the_form()
    {
        var error = Assert.Throws<CliException>(() => Resolve(new AgentSettings { Dev = true, ClusterId = "Home Lab" }));

        Assert.Contains("--cluster-id 'Home Lab'", error.Message, StringComparison.Ordinal);
        Assert.Contains("lowercase letters, digits", error.Message, StringComparison.Ordinal);
    }

    private static string Resolve(AgentSettings flags, Dictionary<string, string>? env = null)
    {
        env ??= NoEnv;
        var settings = AgentSettingsSources.Complete(flags, env.GetValueOrDefault);
        return AgentConfigResolver.Resolve(settings, env.GetValueOrDefault, "host").ClusterId;
    }
}

using Sched.Scheduler.Cli;

namespace Sched.Scheduler.Tests.Cli;

public sealed class ClientTokenSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-cli-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_flag_wins_over_SCHED_TOKEN_which_wins_over_any_token_file()
    {
        var env = new Dictionary<string, string> { ["SCHED_TOKEN"] = "from-env", ["SCHED_DATA_DIR"] = DataDirWithToken("from-file") };

        Assert.Equal(("from-flag", "--token"), Of(ClientToken.Find("from-flag", env.GetValueOrDefault)));
        Assert.Equal(("from-env", "SCHED_TOKEN"), Of(ClientToken.Find(null, env.GetValueOrDefault)));
    }

    [Fact]
    public void Without_flag_or_SCHED_TOKEN_it_reads_SCHED_TOKEN_FILE_before_the_api_token_in_SCHED_DATA_DIR()
    {
        var tokenFile = Path.Combine(_dir, "shared-token");
        File.WriteAllText(tokenFile, "from-token-file\n");
        var dataDir = DataDirWithToken("from-data-dir");

        var both = ClientToken.Find(null, new Dictionary<string, string> { ["SCHED_TOKEN_FILE"] = tokenFile, ["SCHED_DATA_DIR"] = dataDir }.GetValueOrDefault);
        var dataDirOnly = ClientToken.Find(null, new Dictionary<string, string> { ["SCHED_DATA_DIR"] = dataDir }.GetValueOrDefault);

        Assert.Equal(("from-token-file", tokenFile), Of(both));
        Assert.Equal(("from-data-dir", Path.Combine(dataDir, "api-token")), Of(dataDirOnly));
    }

    [Fact]
    public void After_SCHED_DATA_DIR_it_reads_the_api_token_in_the_agent_s_default_data_dirs_in_order()
    {
        var dev = Path.Combine(_dir, "no-dev-agent-here");
        var system = DataDirWithToken("from-default-data-dir");

        var token = ClientToken.Find(null, new Dictionary<string, string> { ["SCHED_DATA_DIR"] = Path.Combine(_dir, "none") }.GetValueOrDefault, [dev, system]);

        Assert.Equal(("from-default-data-dir", Path.Combine(system, "api-token")), Of(token));
    }

    [Fact]
    public void When_no_token_is_found_a_refusal_says_where_it_looked_and_names_the_flag_and_the_variable()
    {
        var empty = Path.Combine(_dir, "nothing-here");

        var token = ClientToken.Find(null, new Dictionary<string, string> { ["SCHED_DATA_DIR"] = empty }.GetValueOrDefault, []);
        var message = token.Refused(new Uri("http://node1.local:4080/"), "Token required: no header");

        Assert.Null(token.Value);
        foreach (var expected in new[] { "http://node1.local:4080/", $"no {empty}/api-token", "Token required: no header", "--token", "SCHED_TOKEN" })
        {
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_refused_token_is_named_by_where_it_came_from_never_by_its_value()
    {
        var message = ClientToken.Find(null, new Dictionary<string, string> { ["SCHED_TOKEN"] = "secret-value" }.GetValueOrDefault)
            .Refused(new Uri("http://127.0.0.1:4080/"), "Wrong token");

        Assert.Contains("refused the token from SCHED_TOKEN", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", message, StringComparison.Ordinal);
    }

    private string DataDirWithToken(string token)
    {
        var dataDir = Directory.CreateDirectory(Path.Combine(_dir, Guid.NewGuid().ToString("n"))).FullName;
        File.WriteAllText(Path.Combine(dataDir, "api-token"), token + "\n");
        return dataDir;
    }

    private static (string? Value, string Origin) Of(ClientToken token) => (token.Value, token.Origin);
}

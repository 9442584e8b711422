using System.Net;
using System.Runtime.Versioning;
using Sched.Scheduler.Http.Auth;

namespace Sched.Scheduler.Tests.Http;

[UnsupportedOSPlatform("windows")]
public sealed class ApiTokenFileSpecs : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _dir = Directory.CreateTempSubdirectory("sched-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_start_generates_a_random_owner_only_token_in_the_data_dir_and_the_second_start_reuses_it()
    {
        var dataDir = Path.Combine(_dir, "data");

        var first = ApiTokenFile.Load(null, dataDir);
        var written = File.ReadAllText(ApiTokenFile.DefaultPath(dataDir)).Trim();
        var second = ApiTokenFile.Load(null, dataDir);

        Assert.Equal(ApiTokenFile.DefaultPath(dataDir), first.Path);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(first.Path));
        Assert.Matches("^sched_[A-Za-z0-9_-]{43}$", written);
        Assert.True(first.Matches(written) && second.Matches(written), "the second start must accept the token the first one wrote");
        Assert.Equal(written, File.ReadAllText(first.Path).Trim());
        Assert.False(ApiTokenFile.IsReadableByOthers(first.Path));
    }

    [Fact]
    public void Two_data_dirs_get_different_tokens()
    {
        var a = ApiTokenFile.Load(null, Path.Combine(_dir, "a"));
        var b = ApiTokenFile.Load(null, Path.Combine(_dir, "b"));

        Assert.False(b.Matches(File.ReadAllText(a.Path).Trim()));
    }

    [Fact]
    public void A_configured_token_file_wins_and_none_is_generated_in_the_data_dir()
    {
        var configured = Path.Combine(_dir, "shared-token");
        File.WriteAllText(configured, "one-token-for-every-scheduler-node\n");

        var token = ApiTokenFile.Load(configured, _dir);

        Assert.Equal(configured, token.Path);
        Assert.True(token.Matches("one-token-for-every-scheduler-node"));
        Assert.False(token.Matches("one-token-for-every-scheduler-nod"));
        Assert.False(File.Exists(ApiTokenFile.DefaultPath(_dir)));
        Assert.True(ApiTokenFile.IsReadableByOthers(configured) == ((File.GetUnixFileMode(configured) & ~OwnerOnly) != 0));
    }

    [Fact]
    public void A_configured_token_file_that_does_not_exist_is_an_error_naming_it_not_a_new_token()
    {
        var missing = Path.Combine(_dir, "missing-token");

        var error = Assert.Throws<TokenFileException>(() => ApiTokenFile.Load(missing, _dir));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("--token-file", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
        Assert.False(File.Exists(ApiTokenFile.DefaultPath(_dir)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("two words in one token file")]
    public void A_token_file_without_one_long_enough_token_is_an_error(string content)
    {
        var path = Path.Combine(_dir, "bad-token");
        File.WriteAllText(path, content);

        var error = Assert.Throws<TokenFileException>(() => ApiTokenFile.Load(path, _dir));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_given_a_token_file_accepts_that_token_over_http()
    {
        var configured = Path.Combine(_dir, "shared-token");
        File.WriteAllText(configured, "one-token-for-every-scheduler-node\n");

        await using var host = await ApiHost.StartAsync(configured);
        using var response = await host.Authorized.GetAsync(new Uri("v1/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(ApiTokenFile.DefaultPath(host.DataDir)));
    }
}

using System.Text;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>Which login of a `podman login --authfile` file a pull sends, and what a broken file says.</summary>
public sealed class RegistryAuthFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sched-auth-{Guid.NewGuid():N}.json");

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private RegistryAuthFile Write(string json)
    {
        File.WriteAllText(_path, json);
        return new RegistryAuthFile(_path);
    }

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData("registry.lan:5000/team/proc:1.4", "registry.lan:5000/team/proc")]
    [InlineData("localhost/proc", "localhost/proc")]
    [InlineData("proc:latest", "docker.io/proc")]
    [InlineData("library/busybox@sha256:abc", "docker.io/library/busybox")]
    [InlineData("ghcr.io/owner/tool", "ghcr.io/owner/tool")]
    public void An_image_falls_under_its_registry_and_images_without_one_under_Docker_Hub(string image, string target) =>
        Assert.Equal(target, RegistryAuthFile.Target(image));

    [Fact]
    public void The_longest_matching_key_wins_and_Docker_Hub_keys_in_either_spelling_match()
    {
        var logins = Write($$"""
            { "auths": {
                "registry.lan:5000": { "auth": "{{Basic("all", "a")}}" },
                "registry.lan:5000/team": { "auth": "{{Basic("team", "t")}}" },
                "https://index.docker.io/v1/": { "auth": "{{Basic("hub", "h:with:colons")}}" },
                "ghcr.io": { "username": "gh", "password": "g" } } }
            """);

        Assert.Equal(("team", "t", "registry.lan:5000"), Of(logins, "registry.lan:5000/team/proc:1"));
        Assert.Equal(("all", "a", "registry.lan:5000"), Of(logins, "registry.lan:5000/other/proc"));
        Assert.Equal(("hub", "h:with:colons", "docker.io"), Of(logins, "busybox"));
        Assert.Equal(("gh", "g", "ghcr.io"), Of(logins, "ghcr.io/owner/tool"));
        Assert.Null(logins.For("registry.lan:50001/proc"));
        Assert.Null(logins.For("quay.io/proc"));
    }

    [Theory]
    [InlineData("not json", "cannot be read")]
    [InlineData("{\"logins\": {}}", "has no \"auths\" object")]
    [InlineData("{\"auths\": {\"registry.lan\": {}}}", "the entry for registry.lan has no \"auth\"")]
    [InlineData("{\"auths\": {\"registry.lan\": {\"auth\": \"%%%\"}}}", "cannot be read")]
    public void A_broken_file_is_an_error_naming_the_file_and_how_to_write_it(string json, string expected)
    {
        var logins = Write(json);

        var error = Assert.Throws<RegistryAuthException>(() => logins.For("registry.lan/proc"));
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_went_away_is_an_error_too_not_a_silent_pull_without_login()
    {
        var missing = new RegistryAuthFile(_path + ".gone");

        Assert.Throws<RegistryAuthException>(() => missing.For("registry.lan/proc"));
    }

    private static (string?, string?, string?) Of(RegistryAuthFile logins, string image) =>
        logins.For(image) is { } login ? (login.Username, login.Password, login.ServerAddress) : default;
}

using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Images;

/// <summary>
/// Two loopback registries (one open, one that wants a login) with the test image, and a dev agent on a podman of its
/// own whose store holds no image, so every run pulls. That podman trusts plain HTTP on 127.0.0.1 through its own
/// registries.conf (CONTAINERS_REGISTRIES_CONF); the machine's configuration is not touched.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string User = "sched";
    public const string Password = "s3cret-pull";

    private PrivatePodman? _podman;

    public LoopbackRegistry Open { get; private set; } = null!;

    public LoopbackRegistry Locked { get; private set; } = null!;

    public DevAgent Agent { get; private set; } = null!;

    public string OpenImage { get; private set; } = "";

    public string LockedImage { get; private set; } = "";

    /// <summary>A login file for the locked registry, as `podman login --authfile` writes it.</summary>
    public string AuthFile { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Open = await LoopbackRegistry.Start();
        Locked = await LoopbackRegistry.Start(User, Password);
        OpenImage = await Open.Push("localhost/sched-test-busybox:latest", "team/regtest:1");
        LockedImage = await Locked.Push("localhost/sched-test-busybox:latest", "team/regtest:1", $"{User}:{Password}");
        var registriesConf = Path.Combine(Path.GetTempPath(), $"sched-registries-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(registriesConf, "unqualified-search-registries = []\n[[registry]]\nlocation = \"127.0.0.1\"\ninsecure = true\n");
        _podman = PrivatePodman.Empty(new Dictionary<string, string> { ["CONTAINERS_REGISTRIES_CONF"] = registriesConf });
        await _podman.InitializeAsync();
        AuthFile = Path.Combine(_podman.AgentsDir, "registry-auth.json");
        var login = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        await File.WriteAllTextAsync(AuthFile, $$"""{ "auths": { "{{Locked.Host}}": { "auth": "{{login}}" } } }""");
        Agent = DevAgent.On(_podman, "registry-node");
        await Agent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        if (_podman is not null)
        {
            await _podman.DisposeAsync();
        }

        await Open.DisposeAsync();
        await Locked.DisposeAsync();
    }
}

/// <summary>Issue 16 acceptance 4: pulls from a registry with and without a login; a missing image fails once, saying why.</summary>
public sealed class RegistryPullSpecs(RegistryFixture registries, ITestOutputHelper output) : IClassFixture<RegistryFixture>
{
    private DevAgent Agent => registries.Agent;

    [Fact]
    public async Task An_image_only_in_a_registry_that_needs_no_login_is_pulled_and_every_shard_runs()
    {
        var run = await Agent.Sched("run", registries.OpenImage, "--shards", "2", "--restart", "never", "--", "sh", "-c", "echo pulled $SHARD");

        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("complete: 2/2 shards succeeded", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_wants_a_login_fails_the_pull_once_saying_how_to_give_one_and_the_agents_login_file_then_pulls_it()
    {
        Agent.ExtraArgs = [];
        await Restart();
        var refused = await Agent.Sched("run", registries.LockedImage, "--detach", "--", "true");
        var jobId = refused.Stdout.Trim();
        var failed = await WaitForJob(jobId, "failed");

        var shard = failed.GetProperty("shards")[0];
        var reason = shard.GetProperty("reason").GetString()!;
        output.WriteLine(reason);
        Assert.Equal(1, shard.GetProperty("attempt").GetInt32());
        Assert.Contains($"image {registries.LockedImage} is not present on this node and could not be pulled", reason, StringComparison.Ordinal);
        Assert.Contains($"give the agents --registry-auth FILE, written by `podman login --authfile FILE {registries.Locked.Host}`", reason, StringComparison.Ordinal);

        Agent.ExtraArgs = ["--registry-auth", registries.AuthFile];
        await Restart();
        var rerun = await Agent.Sched("rerun", jobId);

        output.WriteLine(rerun.ToString());
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal("complete", (await Agent.Job(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_image_no_registry_has_fails_each_shard_after_one_attempt_with_the_registrys_words()
    {
        var missing = $"{registries.Open.Host}/team/nosuch-{Guid.NewGuid():N}:1";

        var run = await Agent.Sched("run", missing, "--shards", "2", "--", "true");

        output.WriteLine(run.ToString());
        Assert.Equal(1, run.ExitCode);
        var job = await Agent.Job(run.Stdout.Split("job ", 2)[1].Split(':', 2)[0]);
        Assert.All(job.GetProperty("shards").EnumerateArray(), shard =>
        {
            Assert.Equal(("failed", 1), (shard.GetProperty("status").GetString(), shard.GetProperty("attempt").GetInt32()));
            Assert.Contains($"image {missing} is not present on this node and could not be pulled", shard.GetProperty("reason").GetString(), StringComparison.Ordinal);
        });
    }

    private async Task Restart()
    {
        await Agent.StopAsync();
        await Agent.StartAsync();
    }

    private async Task<JsonElement> WaitForJob(string jobId, string status)
    {
        JsonElement job = default;
        await Wait.Until(async () => (job = await Agent.Job(jobId)).GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(120), $"job {jobId} {status}", () => Task.FromResult(job.ToString()));
        return job;
    }
}

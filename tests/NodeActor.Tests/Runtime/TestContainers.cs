using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>Creates uniquely named test containers and removes every one of them when the test ends.</summary>
public sealed class TestContainers(PodmanRuntime runtime) : IAsyncLifetime
{
    private readonly List<string> _ids = [];

    public static ContainerSpec Spec(IReadOnlyList<string> command) => new(
        Name: $"sched-test-{Guid.NewGuid():N}",
        Image: PodmanFixture.TestImage,
        Command: command,
        Env: new Dictionary<string, string>(),
        Labels: new Dictionary<string, string>(),
        MemoryBytes: 0,
        NanoCpus: 0);

    public async Task<string> CreateAsync(ContainerSpec spec)
    {
        var id = await runtime.CreateAsync(spec, CancellationToken.None);
        _ids.Add(id);
        return id;
    }

    public async Task<string> StartAsync(ContainerSpec spec)
    {
        var id = await CreateAsync(spec);
        await runtime.StartAsync(id, CancellationToken.None);
        return id;
    }

    public async Task<(string Id, ContainerExit Exit)> RunAsync(ContainerSpec spec)
    {
        var id = await StartAsync(spec);
        return (id, await runtime.WaitAsync(id, CancellationToken.None));
    }

    public async Task<List<string>> LogsAsync(string id, bool follow = false)
    {
        var lines = new List<string>();
        await foreach (var line in runtime.LogsAsync(id, follow, CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in _ids)
        {
            await runtime.RemoveAsync(id, CancellationToken.None);
        }
    }
}

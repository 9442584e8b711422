using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sched.Contracts;
using Sched.NodeActor.Runtime;

namespace Sched.Tests.Fakes;

/// <summary>
/// An in-memory container engine for actor tests. Containers exit at once with the code ExitCodeFor gives,
/// unless Hold is set, in which case they run until <see cref="Exit"/> is called for them.
/// </summary>
public sealed class FakeRuntime : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, FakeContainer> _containers = new();
    private int _nextId;

    public EngineInfo Info { get; set; } = new(4, 4L * 1024 * 1024 * 1024, "arm64", "fake-1.0");

    /// <summary>When set, every engine call fails with it, as a dead podman socket would.</summary>
    public Exception? Down { get; set; }

    public Func<ContainerSpec, long> ExitCodeFor { get; set; } = _ => 0;

    public bool Hold { get; set; }

    public IReadOnlyCollection<FakeContainer> Containers => _containers.Values.ToList();

    /// <summary>Adds a container sched did not start, to check it is never touched.</summary>
    public FakeContainer AddForeign(string name, IReadOnlyDictionary<string, string> labels)
    {
        var container = Add(new ContainerSpec(name, "foreign:latest", [], new Dictionary<string, string>(), labels, 0, 0));
        container.Running = true;
        return container;
    }

    /// <summary>Adds a container as an agent that stopped between create and start would have left it.</summary>
    public FakeContainer AddCreated(ContainerSpec spec) => Add(spec);

    public void Exit(string name, long code, bool oomKilled = false) =>
        _containers.Values.Single(c => c.Spec.Name == name).Exit.TrySetResult(new ContainerExit(code, oomKilled));

    /// <summary>When set, /info answers only once this completes, as a busy board's podman walking its storage.</summary>
    public Task? InfoAnswersAfter { get; set; }

    public async Task<EngineInfo> GetInfoAsync(CancellationToken ct)
    {
        if (InfoAnswersAfter is { } gate)
        {
            await gate.WaitAsync(ct);
        }

        return await Call(() => Info);
    }

    public Task PingAsync(CancellationToken ct) => Call(() => true);

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken ct) => Call(() => Add(spec).Id);

    public Task StartAsync(string containerId, CancellationToken ct) => Call(() =>
    {
        var container = Find(containerId) ?? throw new ContainerRuntimeException($"no such container {containerId}");
        container.Running = true;
        container.Started = true;
        if (!Hold)
        {
            container.Exit.TrySetResult(new ContainerExit(ExitCodeFor(container.Spec), false));
        }

        return 0;
    });

    public async Task<ContainerExit> WaitAsync(string containerId, CancellationToken ct)
    {
        var container = await Call(() => Find(containerId) ?? throw new ContainerRuntimeException($"no such container {containerId}"));
        var exit = await container.Exit.Task.WaitAsync(ct);
        container.Running = false;
        return exit;
    }

    public Task<ContainerDetails?> InspectAsync(string containerId, CancellationToken ct) => Call(() =>
        Find(containerId) is { } c
            ? new ContainerDetails(c.Id, c.Spec.Name, c.State, c.Running, c.Exit.Task.IsCompleted ? c.Exit.Task.Result.ExitCode : null, false,
                c.Spec.Labels, c.Spec.Env.Select(e => $"{e.Key}={e.Value}").ToList(), c.Spec.MemoryBytes, c.Spec.NanoCpus)
            : null);

    public async Task<ContainerDetails?> InspectManagedAsync(string containerId, CancellationToken ct) =>
        await InspectAsync(containerId, ct) is { } details && details.Labels.GetValueOrDefault(ContainerLabels.Managed) == "true"
            ? details
            : null;

    public async IAsyncEnumerable<string> LogsAsync(string containerId, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        yield return $"fake log of {containerId}";
    }

    public Task StopAsync(string containerId, TimeSpan grace, CancellationToken ct) => Call(() =>
    {
        if (Find(containerId) is { } container)
        {
            container.Exit.TrySetResult(new ContainerExit(143, false));
            container.Running = false;
        }

        return 0;
    });

    public Task RemoveAsync(string containerId, CancellationToken ct) => Call(() =>
    {
        if (Find(containerId) is { } container)
        {
            container.Exit.TrySetResult(new ContainerExit(137, false));
            _containers.TryRemove(container.Id, out _);
        }

        return 0;
    });

    public Task<IReadOnlyList<ManagedContainer>> ListManagedAsync(CancellationToken ct) => Call(() =>
        (IReadOnlyList<ManagedContainer>)_containers.Values
            .Where(c => c.Spec.Labels.GetValueOrDefault(ContainerLabels.Managed) == "true")
            .Select(c => new ManagedContainer(c.Id, c.Spec.Name, c.State, c.Spec.Labels))
            .ToList());

    private FakeContainer Add(ContainerSpec spec)
    {
        var container = new FakeContainer($"fake{Interlocked.Increment(ref _nextId):d4}", spec);
        _containers[container.Id] = container;
        return container;
    }

    private FakeContainer? Find(string idOrName) =>
        _containers.GetValueOrDefault(idOrName) ?? _containers.Values.FirstOrDefault(c => c.Spec.Name == idOrName);

    private Task<T> Call<T>(Func<T> action) =>
        Down is { } down ? Task.FromException<T>(down) : Task.Run(action);
}

public sealed class FakeContainer(string id, ContainerSpec spec)
{
    public string Id { get; } = id;

    public ContainerSpec Spec { get; } = spec;

    public bool Running { get; set; }

    public bool Started { get; set; }

    public string State => Running ? "running" : Started ? "exited" : "created";

    public TaskCompletionSource<ContainerExit> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

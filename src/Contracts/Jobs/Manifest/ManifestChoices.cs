namespace Sched.Contracts.Jobs.Manifest;

/// <summary>The manifest spelling of each enum value, shared by the parser and the writer. The first is the default.</summary>
internal static class ManifestChoices
{
    public static readonly IReadOnlyList<(string Name, JobType Value)> JobTypes =
        [("batch", JobType.Batch), ("service", JobType.Service)];

    public static readonly IReadOnlyList<(string Name, RestartMode Value)> RestartModes =
        [("on-failure", RestartMode.OnFailure), ("always", RestartMode.Always), ("never", RestartMode.Never)];

    public static readonly IReadOnlyList<(string Name, PlacementStrategy Value)> PlacementStrategies =
        [("spread", PlacementStrategy.Spread), ("binpack", PlacementStrategy.Binpack)];

    public static string NameOf<T>(IReadOnlyList<(string Name, T Value)> choices, T value) =>
        choices.First(choice => EqualityComparer<T>.Default.Equals(choice.Value, value)).Name;
}

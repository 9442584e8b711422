namespace Sched.EndToEnd.Support;

/// <summary>
/// The podman the machine-level tests (the dev agent, <see cref="PodmanStore"/>) use: the machine's own, or the API
/// socket SCHED_TEST_PODMAN_SOCKET names (tests/run.sh points it at podman 5 from deploy/lib/podman5-root.sh).
/// </summary>
public static class TestPodman
{
    public const string SocketVariable = "SCHED_TEST_PODMAN_SOCKET";

    /// <summary>The socket the tests were pointed at; null for the machine's default podman.</summary>
    public static string? Socket { get; } = Environment.GetEnvironmentVariable(SocketVariable) is { Length: > 0 } socket ? socket : null;

    /// <summary>Global arguments that make the podman CLI a client of that socket (none for the machine's podman).</summary>
    public static IReadOnlyList<string> CliArgs { get; } = Socket is null ? [] : ["--url", $"unix://{Socket}"];
}

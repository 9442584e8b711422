using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>What every command that talks to a running sched shares: where it is.</summary>
public class ClientSettings : CommandSettings
{
    public const string DefaultAddress = "http://127.0.0.1:4080";

    [CommandOption("--addr <URL>")]
    [Description("sched HTTP address (default: $SCHED_ADDR, else http://127.0.0.1:4080)")]
    public string? Addr { get; init; }

    public ApiClient CreateClient()
    {
        var text = Addr ?? Environment.GetEnvironmentVariable("SCHED_ADDR") ?? DefaultAddress;
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri))
        {
            throw new CliException($"--addr '{text}' is not an address; use e.g. http://node1.local:4080");
        }

        return new ApiClient(uri);
    }
}

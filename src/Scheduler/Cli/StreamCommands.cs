using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class EventsSettings : ClientSettings
{
    [CommandArgument(0, "[JOB]")]
    [Description("only this job's events (default: every job)")]
    public string? Job { get; init; }
}

/// <summary>`sched watch [JOB]`: placements and state changes as they happen, one line each.</summary>
public sealed class WatchCommand : AsyncCommand<EventsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EventsSettings settings, CancellationToken cancellationToken)
    {
        var path = settings.Job is null ? "v1/events" : $"v1/events?job={Uri.EscapeDataString(settings.Job)}";
        return await ConsoleStream.PrintAsync(settings, path, line =>
            line.StartsWith("data: ", StringComparison.Ordinal)
            && JsonSerializer.Deserialize<JobEvent>(line["data: ".Length..], ApiServer.Json) is { } e
                ? $"{e.At.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {e.Message}"
                : null, cancellationToken);
    }
}

public sealed class LogsSettings : ClientSettings
{
    [CommandArgument(0, "<JOB>")]
    public string Job { get; init; } = "";

    [CommandOption("--shard <N>")]
    [Description("only this shard (1-based), its lines as they are; default: every shard, each line prefixed [[N]]")]
    public int? Shard { get; init; }

    [CommandOption("-f|--follow")]
    [Description("keep printing lines as the shard prints them")]
    public bool Follow { get; init; }
}

/// <summary>
/// `sched logs JOB [--shard N] [--follow]`: a shard's container log, from whichever node runs it; without --shard,
/// every shard's, each line prefixed [N].
/// </summary>
public sealed class LogsCommand : AsyncCommand<LogsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LogsSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Shard is { } shard)
        {
            return await ConsoleStream.PrintAsync(settings, JobLogs.PathOf(settings.Job, shard, settings.Follow), line => line, cancellationToken);
        }

        using var api = settings.CreateClient();
        try
        {
            await new JobLogs(api, Console.Out, Console.Error).PrintAsync(settings.Job, settings.Follow, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the person stopped reading; not an error.
        }

        return 0;
    }
}

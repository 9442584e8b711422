using System.ComponentModel;
using Sched.Scheduler.Http;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public class JobSettings : ClientSettings
{
    [CommandArgument(0, "<JOB>")]
    [Description("job id, as `sched jobs` lists it")]
    public string Job { get; init; } = "";
}

/// <summary>`sched jobs`: every job with its state and progress.</summary>
public sealed class JobsCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var api = settings.CreateClient();
        var table = new TextTable("ID", "STATE", "SHARDS", "IMAGE", "SUBMITTED");
        foreach (var job in (await api.JobsAsync(cancellationToken)).OrderBy(j => j.SubmittedAt))
        {
            var progress = job.Runs is null
                ? $"{job.Counts.Succeeded}/{job.Counts.Total} done, {job.Counts.Running} running"
                : $"schedule '{job.Manifest["schedule"]}'";
            table.Add(job.Id, Text.Of(job.Status), progress, job.Image, LocalTime(job.SubmittedAt));
        }

        table.WriteTo(Console.Out);
        return 0;
    }

    public static string LocalTime(DateTimeOffset at) =>
        at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class StatusSettings : JobSettings
{
    [CommandOption("--attempts")]
    [Description("also list every shard's attempts: where each ran, how and when it ended")]
    public bool Attempts { get; init; }
}

/// <summary>`sched status JOB [--attempts]`: the job and every shard with its node, state and exit code.</summary>
public sealed class StatusCommand : AsyncCommand<StatusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        using var api = settings.CreateClient();
        var job = await api.JobAsync(settings.Job, cancellationToken);
        if (job.Runs is not null)
        {
            PeriodicJobStatus.Print(job, await api.JobsAsync(cancellationToken), Console.Out);
            return 0;
        }

        Print(job, Console.Out);
        if (settings.Attempts)
        {
            Console.Out.WriteLine();
            AttemptHistory.Print(job, Console.Out);
        }

        return 0;
    }

    public static void Print(JobDto job, TextWriter output)
    {
        output.WriteLine($"job      {job.Id}");
        output.WriteLine($"state    {Text.Of(job.Status)}{(job.Reason is null ? "" : $" ({job.Reason})")}");
        output.WriteLine($"image    {job.Image}");
        if (job.RunOf is { } periodic)
        {
            output.WriteLine($"run of   {periodic} (periodic)");
        }

        output.WriteLine($"shards   {job.Counts.Succeeded}/{job.Counts.Total} succeeded, {job.Counts.Running} running, {job.Counts.Pending} pending, {job.Counts.Failed} failed");
        output.WriteLine($"limits   memory {job.Manifest["resources"]?["memory"]}, cpus {job.Manifest["resources"]?["cpus"]} per shard");
        output.WriteLine();
        // A job that publishes ports shows where each shard is reached: node and host port.
        var withPorts = job.Shards.Any(s => s.Ports is { Count: > 0 });
        var table = withPorts
            ? new TextTable("SHARD", "NODE", "STATE", "ATTEMPT", "EXIT", "PORTS", "REASON")
            : new TextTable("SHARD", "NODE", "STATE", "ATTEMPT", "EXIT", "REASON");
        foreach (var shard in job.Shards)
        {
            var ports = shard.Ports is { Count: > 0 } published ? string.Join(",", published.Select(p => $"{p.Value}->{p.Key}")) : null;
            table.Add(withPorts
                ? [shard.Shard, shard.Node, Text.Of(shard.Status), shard.Attempt, shard.ExitCode, ports, shard.Reason]
                : [shard.Shard, shard.Node, Text.Of(shard.Status), shard.Attempt, shard.ExitCode, shard.Reason]);
        }

        table.WriteTo(output);
    }
}

/// <summary>`sched nodes`: every node with its state, capacity, what is allocated and free.</summary>
public sealed class NodesCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var api = settings.CreateClient();
        var table = new TextTable("NODE", "STATE", "CPUS (alloc/allocatable)", "MEMORY (alloc/allocatable)", "FREE", "SHARDS", "LABELS", "ADDRESS");
        foreach (var node in await api.NodesAsync(cancellationToken))
        {
            table.Add(
                node.Name,
                Text.Of(node.Status) + (node.StatusReason is null ? "" : $" ({node.StatusReason})"),
                $"{node.Allocated.Cpus:0.##}/{node.Allocatable.Cpus:0.##}",
                $"{node.Allocated.Memory}/{node.Allocatable.Memory}",
                $"{node.Free.Cpus:0.##} cpus, {node.Free.Memory}",
                node.Shards,
                string.Join(",", node.Labels.Select(l => $"{l.Key}={l.Value}")),
                node.Address ?? "-");
        }

        table.WriteTo(Console.Out);
        return 0;
    }
}

/// <summary>`sched stop JOB`: stop the job and remove its containers.</summary>
public sealed class StopCommand : AsyncCommand<JobSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JobSettings settings, CancellationToken cancellationToken)
    {
        using var api = settings.CreateClient();
        var job = await api.StopAsync(settings.Job, cancellationToken);
        Console.Out.WriteLine($"job {job.Id} {Text.Of(job.Status)}; its containers are being removed");
        return 0;
    }
}

public sealed class ScaleSettings : JobSettings
{
    [CommandOption("--parallel <N>")]
    [Description("at most N of the job's shards run at once; none lifts the limit")]
    public string Parallel { get; init; } = "";
}

/// <summary>`sched scale JOB --parallel N`: how many of a running job's shards may run at once.</summary>
public sealed class ScaleCommand : AsyncCommand<ScaleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ScaleSettings settings, CancellationToken cancellationToken)
    {
        int? parallel = settings.Parallel switch
        {
            "none" => null,
            var text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 => n,
            "" => throw new CliException("--parallel: missing; give a whole number from 1, e.g. sched scale JOB --parallel 4, or none for no limit"),
            _ => throw new CliException($"--parallel '{settings.Parallel}': give a whole number from 1, e.g. --parallel 4, or none for no limit"),
        };
        using var api = settings.CreateClient();
        var job = await api.ScaleAsync(settings.Job, parallel, cancellationToken);
        Console.Out.WriteLine($"job {job.Id}: {(parallel is { } p ? $"at most {p} shards at once" : "no limit on shards at once")}; {job.Counts.Running} running, {job.Counts.Pending} pending");
        return 0;
    }
}

internal static class Text
{
    public static string Of<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}

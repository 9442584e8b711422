using System.ComponentModel;
using System.Globalization;
using Sched.Contracts.Messages;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class RerunSettings : WatchSettings
{
    [CommandArgument(0, "<JOB>")]
    [Description("job id, as `sched jobs` lists it; the job must have ended")]
    public string Job { get; init; } = "";

    [CommandOption("--shards <LIST>")]
    [Description("the shards to run again, e.g. 3,5 (any that ended, succeeded too); default: every shard that did not succeed")]
    public string? Shards { get; init; }
}

/// <summary>`sched rerun JOB [--shards 3,5]`: new attempts of a finished job's shards, followed like `sched run`.</summary>
public sealed class RerunCommand : AsyncCommand<RerunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RerunSettings settings, CancellationToken cancellationToken)
    {
        var shards = settings.Shards is null ? null : ParseShards(settings.Shards);
        using var api = settings.CreateClient();
        var job = await api.RerunAsync(settings.Job, shards, cancellationToken);
        var again = job.Shards.Where(s => s.Status is not (ShardStatus.Succeeded or ShardStatus.Failed or ShardStatus.Stopped)).Select(s => s.Shard);
        Console.Out.WriteLine($"rerunning {job.Id}: shards {string.Join(", ", again)}");
        return await Submission.FollowAsync(api, job, settings.Detach, cancellationToken);
    }

    /// <summary>"3,5" or "3 5": whole numbers from 1; the scheduler checks they are the job's.</summary>
    public static IReadOnlyList<int> ParseShards(string text)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shards = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var shard) || shard < 1)
            {
                throw new CliException($"--shards '{text}': '{part}' is not a shard number; give whole numbers from 1, e.g. --shards 3,5");
            }

            shards.Add(shard);
        }

        return shards.Count > 0 ? shards : throw new CliException("--shards: empty; give the shards to run again, e.g. --shards 3,5, or leave it out for every shard that did not succeed");
    }
}

using Sched.Scheduler.Http;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>`sched run IMAGE --shards N ...`: submit a job from flags and follow it.</summary>
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var manifest = RunManifest.FromFlags(settings, context.Remaining.Raw.ToList());
        return await Submission.SubmitAndFollowAsync(settings, manifest.ToJsonString(), "application/json", cancellationToken);
    }
}

/// <summary>What `run` and `submit` share: post the manifest, then follow the job unless detached.</summary>
internal static class Submission
{
    public static async Task<int> SubmitAndFollowAsync(WatchSettings settings, string manifest, string contentType, CancellationToken ct)
    {
        using var api = settings.CreateClient();
        return await FollowAsync(api, await api.SubmitAsync(manifest, contentType, ct), settings.Detach, ct);
    }

    /// <summary>Follows the job until it settles (its exit status), or prints its id and returns when detached.</summary>
    public static async Task<int> FollowAsync(ApiClient api, JobDto job, bool detach, CancellationToken ct)
    {
        if (detach)
        {
            Console.Out.WriteLine(job.Id);
            return 0;
        }

        try
        {
            return await new JobWatcher(api, Console.Out, TimeSpan.FromMilliseconds(250)).FollowAsync(job, ct);
        }
        catch (OperationCanceledException)
        {
            Console.Out.WriteLine($"stopped following; job {job.Id} goes on (`sched status {job.Id}`, `sched stop {job.Id}`)");
            return 130;
        }
    }
}

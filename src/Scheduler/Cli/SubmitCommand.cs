using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class SubmitSettings : WatchSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("job manifest, YAML or JSON; - reads standard input")]
    public string File { get; init; } = "";
}

/// <summary>`sched submit FILE`: submit a manifest and follow the job.</summary>
public sealed class SubmitCommand : AsyncCommand<SubmitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SubmitSettings settings, CancellationToken cancellationToken)
    {
        var (text, contentType) = await ManifestFile.ReadAsync(settings.File, cancellationToken);
        return await Submission.SubmitAndFollowAsync(settings, text, contentType, cancellationToken);
    }
}

public sealed class PlanSettings : ClientSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("job manifest, YAML or JSON; - reads standard input")]
    public string File { get; init; } = "";

    [CommandOption("--json")]
    [Description("print the would-be job as the API answers it (JSON), for scripts")]
    public bool Json { get; init; }
}

/// <summary>`sched plan FILE`: where each shard would go now, or why it would wait; nothing is stored or started.</summary>
public sealed class PlanCommand : AsyncCommand<PlanSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PlanSettings settings, CancellationToken cancellationToken)
    {
        var (text, contentType) = await ManifestFile.ReadAsync(settings.File, cancellationToken);
        using var api = settings.CreateClient();
        var job = await api.PlanAsync(text, contentType, cancellationToken);
        var waiting = job.Shards.Count(s => s.Status == Contracts.Messages.ShardStatus.Pending);
        if (settings.Json)
        {
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(job, Http.ApiServer.Json));
            return waiting == 0 ? 0 : 1;
        }

        Console.Out.WriteLine($"plan for {job.Name}: {job.Shards.Count - waiting} of {job.Shards.Count} shards would start now; nothing was stored or started");
        var table = new TextTable("SHARD", "NODE", "WOULD", "REASON");
        foreach (var shard in job.Shards)
        {
            table.Add([shard.Shard, shard.Node, shard.Status == Contracts.Messages.ShardStatus.Pending ? "wait" : "start", shard.Reason]);
        }

        table.WriteTo(Console.Out);
        return waiting == 0 ? 0 : 1;
    }
}

/// <summary>A manifest from a file or standard input, with the content type its text says it is.</summary>
internal static class ManifestFile
{
    public static async Task<(string Text, string ContentType)> ReadAsync(string file, CancellationToken cancellationToken)
    {
        string text;
        if (file == "-")
        {
            text = await Console.In.ReadToEndAsync(cancellationToken);
        }
        else if (File.Exists(file))
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        else
        {
            throw new CliException($"manifest file '{file}' does not exist");
        }

        var isJson = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{');
        return (text, isJson ? "application/json" : "application/yaml");
    }
}

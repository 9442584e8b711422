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
        string text;
        if (settings.File == "-")
        {
            text = await Console.In.ReadToEndAsync(cancellationToken);
        }
        else if (System.IO.File.Exists(settings.File))
        {
            text = await System.IO.File.ReadAllTextAsync(settings.File, cancellationToken);
        }
        else
        {
            throw new CliException($"manifest file '{settings.File}' does not exist");
        }

        var isJson = settings.File.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{');
        return await Submission.SubmitAndFollowAsync(settings, text, isJson ? "application/json" : "application/yaml", cancellationToken);
    }
}

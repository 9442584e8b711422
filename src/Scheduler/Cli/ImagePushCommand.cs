using System.ComponentModel;
using System.Diagnostics;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public sealed class ImagePushSettings : ClientSettings
{
    [CommandArgument(0, "<IMAGE>")]
    [Description("an image in this machine's podman store, e.g. my-processor or localhost/my-processor:1.4")]
    public string Image { get; init; } = "";
}

/// <summary>
/// `sched image push IMAGE`: streams an image from this machine's podman (`podman image save`) into the node whose
/// API answers; the other nodes fetch it from there when a shard needs it. An image for an architecture no node has
/// is refused before anything is sent.
/// </summary>
public sealed class ImagePushCommand : AsyncCommand<ImagePushSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ImagePushSettings settings, CancellationToken cancellationToken)
    {
        var architecture = (await Podman(["image", "inspect", "--format", "{{.Architecture}}", settings.Image], cancellationToken)).Trim();
        using var api = settings.CreateClient();
        var nodes = await api.NodesAsync(cancellationToken);
        var architectures = nodes.Select(n => n.Labels.GetValueOrDefault("arch")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (architectures.Count > 0 && !architectures.Contains(architecture, StringComparer.Ordinal))
        {
            throw new CliException($"{settings.Image} is built for {architecture}, but the cluster's nodes are {string.Join(", ", architectures)}: "
                + $"build it for them (podman build --platform linux/{architectures[0]}); nothing was sent");
        }

        using var save = Process.Start(new ProcessStartInfo("podman", ["image", "save", "--format", "docker-archive", settings.Image])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new CliException("cannot start podman: is it installed on this machine?");
        var errors = save.StandardError.ReadToEndAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var pushed = await api.PushImageAsync(save.StandardOutput.BaseStream, cancellationToken);
        await save.WaitForExitAsync(cancellationToken);
        if (save.ExitCode != 0)
        {
            throw new CliException($"podman image save {settings.Image} failed: {(await errors).Trim()}");
        }

        Console.Out.WriteLine($"pushed {settings.Image} ({architecture}) to {pushed.Node} in {clock.Elapsed.TotalSeconds:0.0}s: {pushed.Outcome}");
        return 0;
    }

    /// <summary>Runs podman on this machine and answers its output; a failure is an error in podman's words.</summary>
    private static async Task<string> Podman(IReadOnlyList<string> args, CancellationToken ct)
    {
        using var podman = Process.Start(new ProcessStartInfo("podman", args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new CliException("cannot start podman: is it installed on this machine?");
        var output = podman.StandardOutput.ReadToEndAsync(ct);
        var errors = podman.StandardError.ReadToEndAsync(ct);
        await podman.WaitForExitAsync(ct);
        return podman.ExitCode == 0
            ? await output
            : throw new CliException($"podman {string.Join(' ', args)}: {(await errors).Trim()}");
    }
}

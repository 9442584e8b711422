using System.Globalization;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>`sched images`: every named image on every node, one line per image with the nodes that hold it.</summary>
public sealed class ImagesCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var api = settings.CreateClient();
        var table = new TextTable("IMAGE", "ID", "ARCH", "SIZE", "NODES");
        var images = (await api.ImagesAsync(cancellationToken))
            .GroupBy(i => (Name: i.Names.FirstOrDefault() ?? i.Id, i.Id, i.Architecture))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal);
        foreach (var image in images)
        {
            table.Add(
                image.Key.Name,
                image.Key.Id.Replace("sha256:", "", StringComparison.Ordinal)[..12],
                image.Key.Architecture,
                (image.First().SizeBytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
                string.Join(",", image.Select(i => i.Node).Order(StringComparer.Ordinal)));
        }

        table.WriteTo(Console.Out);
        return 0;
    }
}

using System.Collections.Immutable;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>command</c> and <c>args</c> into the one list the container runs; empty keeps the image's default.</summary>
internal static class CommandReader
{
    public static ImmutableArray<string> Read(ManifestSection job, FieldErrors errors)
    {
        var command = ManifestValues.ReadStringList(
            job["command"], "command", "command: [\"/bin/process\", \"--verbose\"]", errors);
        var args = ManifestValues.ReadStringList(job["args"], "args", "args: [\"--verbose\"]", errors);
        return command.AddRange(args);
    }
}

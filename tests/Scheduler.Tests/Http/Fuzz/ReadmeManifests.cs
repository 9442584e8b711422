using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sched.Contracts.Jobs;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// The manifest examples of the README (its ```yaml and ```json blocks), read from the checkout each run so the
/// fuzz corpus follows the documentation: as written, and as the complete manifest the writer makes of each.
/// </summary>
public static partial class ReadmeManifests
{
    public static IReadOnlyList<Seed> Load()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var seeds = new List<Seed>();
        foreach (Match block in FencedManifest().Matches(readme))
        {
            var format = block.Groups["lang"].Value == "json" ? ManifestFormat.Json : ManifestFormat.Yaml;
            var text = block.Groups["body"].Value;
            var parsed = ManifestParser.Parse(text, format);
            if (parsed.Spec is not { } spec)
            {
                throw new InvalidOperationException(
                    $"a README manifest example does not parse ({string.Join("; ", parsed.Errors)}):\n{text}");
            }

            seeds.Add(new Seed(text, format, ManifestWriter.ToJson(spec)));
        }

        return seeds.Count > 0 ? seeds : throw new InvalidOperationException("README.md has no ```yaml or ```json manifest example to seed the fuzz corpus");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Scheduler.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^```(?<lang>yaml|json)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedManifest();
}

/// <summary>One corpus entry: the example's text, and the full manifest tree it stands for.</summary>
public sealed record Seed(string Text, ManifestFormat Format, JsonObject Tree);

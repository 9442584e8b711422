using System.Reflection;
using System.Text.RegularExpressions;
using Sched.Contracts.Jobs.Manifest;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>Turns Spectre's "Unknown option" into a message naming the flag the user probably meant.</summary>
internal static partial class UnknownFlag
{
    /// <returns>The message, or null when the error is not about an unknown flag of a known command.</returns>
    public static string? Describe(string parseError, IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> settingsByCommand)
    {
        var match = UnknownOption().Match(parseError);
        var beforePassThrough = args.TakeWhile(arg => arg != "--").ToList();
        var command = settingsByCommand.Keys.FirstOrDefault(name => beforePassThrough.Take(name.Count(c => c == ' ') + 1).SequenceEqual(name.Split(' ')));
        if (!match.Success || command is null)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var isLong = beforePassThrough.Any(arg => arg == $"--{name}" || arg.StartsWith($"--{name}=", StringComparison.Ordinal));
        var typed = isLong ? $"--{name}" : $"-{name}";
        var flags = FlagsOf(settingsByCommand[command]);
        var nearest = isLong ? NearestName.Find(name, flags.Select(flag => flag[2..])) : null;
        return nearest is null
            ? $"unknown flag {typed}; the flags of sched {command} are {string.Join(", ", flags)} (sched {command} --help)"
            : $"unknown flag {typed}; did you mean --{nearest}?";
    }

    /// <summary>The long flags a settings type declares, its own and inherited, e.g. --memory.</summary>
    public static IReadOnlyList<string> FlagsOf(Type settings) =>
        [.. settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => property.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(option => option.LongNames)
            .Select(name => $"--{name}")
            .Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^Unknown option '(?<name>[^']+)'")]
    private static partial Regex UnknownOption();
}

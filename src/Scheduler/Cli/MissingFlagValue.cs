using System.Reflection;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>
/// A flag that takes a value, given without one (last, or before another flag): Spectre fills a repeatable one with
/// its internal "__default_command", which then reached the server as `after[0]: got "__default_command"`.
/// </summary>
internal static class MissingFlagValue
{
    /// <returns>The message, or null when every value-taking flag has its value.</returns>
    public static string? Describe(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> settingsByCommand)
    {
        var beforePassThrough = args.TakeWhile(arg => arg != "--").ToList();
        var command = settingsByCommand.Keys.FirstOrDefault(name => beforePassThrough.Take(name.Count(c => c == ' ') + 1).SequenceEqual(name.Split(' ')));
        if (command is null)
        {
            return null;
        }

        var options = settingsByCommand[command].GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => property.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .Where(option => option.ValueName is not null && !option.ValueIsOptional)
            .ToList();
        for (var i = 0; i < beforePassThrough.Count; i++)
        {
            var arg = beforePassThrough[i];
            var option = options.FirstOrDefault(o => o.LongNames.Any(n => arg == $"--{n}") || o.ShortNames.Any(n => arg == $"-{n}"));
            var next = i + 1 < args.Count ? args[i + 1] : null;
            if (option is not null && (next is null || next.StartsWith('-')))
            {
                return $"{arg} needs a value ({arg} <{option.ValueName}>); see sched {command} --help";
            }
        }

        return null;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Sched.Scheduler.Cli;
using Spectre.Console;

namespace Sched.Scheduler.Tests.Cli;

/// <summary>Runs the real `sched` command line in-process, capturing what Spectre prints and the usage errors.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Errors)
{
    public static async Task<CliRun> Of(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new WideOutput(output),
        });
        var exitCode = await SchedCli.Create(errors, console).RunAsync(args, CancellationToken.None);
        return new CliRun(exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>Every command and sub-command the app registers, as Spectre's own OpenCLI description lists them.</summary>
    public static async Task<IReadOnlyList<CliCommand>> Commands()
    {
        var run = await Of("cli", "opencli");
        Assert.Equal(0, run.ExitCode);
        var root = JsonNode.Parse(run.Output)!["command"]!;
        return [.. CommandsUnder(root, "")];
    }

    private static IEnumerable<CliCommand> CommandsUnder(JsonNode parent, string prefix)
    {
        foreach (var command in parent["commands"]?.AsArray() ?? [])
        {
            var path = $"{prefix}{command!["name"]!.GetValue<string>()}";
            var flags = command["options"]?.AsArray().Select(option => option!["name"]!.GetValue<string>()).ToList() ?? [];
            var arguments = command["arguments"]?.AsArray().Where(argument => argument!["required"]?.GetValue<bool>() ?? false).Count() ?? 0;
            yield return new CliCommand(path, flags, arguments);
            foreach (var child in CommandsUnder(command, path + " "))
            {
                yield return child;
            }
        }
    }

    /// <summary>Wide enough that Spectre wraps no line, so flags and JSON read back whole.</summary>
    private sealed class WideOutput(TextWriter writer) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => false;

        public int Width => 10_000;

        public int Height => 100;

        public void SetEncoding(Encoding encoding)
        {
        }
    }
}

/// <param name="Path">The words that name it, e.g. "run".</param>
/// <param name="Flags">Its long flags, e.g. "--memory".</param>
/// <param name="RequiredArguments">How many positional arguments it needs.</param>
internal sealed record CliCommand(string Path, IReadOnlyList<string> Flags, int RequiredArguments);

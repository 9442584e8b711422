namespace Sched.Scheduler.Tests.Cli;

/// <summary>What a newcomer meets first: help for every command, and a mistyped flag caught instead of ignored.</summary>
public sealed class CliUsageSpecs
{
    [Fact]
    public async Task Every_command_renders_its_help_with_all_its_flags()
    {
        var commands = await CliRun.Commands();

        Assert.Contains(commands, command => command.Path == "run");
        foreach (var command in commands)
        {
            var help = await CliRun.Of([.. command.Path.Split(' '), "--help"]);

            Assert.True(help.ExitCode == 0, $"sched {command.Path} --help exited {help.ExitCode}: {help.Errors}");
            Assert.Contains($"sched {command.Path}", help.Output, StringComparison.Ordinal);
            Assert.All(command.Flags, flag => Assert.Contains(flag, help.Output, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_mistyped_flag_on_any_command_exits_2_naming_the_flag_it_resembles()
    {
        foreach (var command in await CliRun.Commands())
        {
            foreach (var flag in command.Flags.Where(flag => flag != "--help"))
            {
                var typo = flag + flag[^1];

                var run = await CliRun.Of([.. Invocation(command), typo, "x"]);

                Assert.Equal(2, run.ExitCode);
                Assert.Contains($"unknown flag {typo}; did you mean {flag}?", run.Errors, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("agent", "--dev", "--no-such-flag", "x")]
    [InlineData("jobs", "-x")]
    public async Task A_flag_like_none_of_the_command_s_exits_2_listing_them(params string[] args)
    {
        var run = await CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"the flags of sched {args[0]} are ", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_after_a_double_dash_belong_to_the_container_s_command_and_are_not_checked()
    {
        var run = await CliRun.Of("run", "img", "--addr", "http://127.0.0.1:1", "--", "sh", "--memroy", "-c", "true");

        Assert.DoesNotContain("unknown flag", run.Errors, StringComparison.Ordinal);
        Assert.Contains("cannot reach sched", run.Errors, StringComparison.Ordinal);
    }

    /// <summary>Spectre filled a repeatable flag given without a value with "__default_command", which reached the server.</summary>
    [Theory]
    [InlineData("--after", "run", "img", "--after")]
    [InlineData("-v", "run", "img", "-v", "--shards", "2")]
    [InlineData("--shard", "logs", "job-0a1b2c", "--shard")]
    [InlineData("--shards", "rerun", "job-0a1b2c", "--shards", "--detach")]
    public async Task A_flag_that_takes_a_value_given_without_one_exits_2_naming_it_and_sends_nothing(string flag, params string[] args)
    {
        var run = await CliRun.Of([.. args, "--addr", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"sched: {flag} needs a value ({flag} <", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach sched", run.Errors, StringComparison.Ordinal);
    }

    // The command's words and, where it needs them, placeholder arguments, so only the flag can be wrong.
    private static IEnumerable<string> Invocation(CliCommand command) =>
        command.Path.Split(' ').Concat(Enumerable.Repeat("placeholder", command.RequiredArguments));
}

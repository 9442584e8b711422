using Sched.Contracts.Jobs;
using Sched.Scheduler.Cli;

namespace Sched.Scheduler.Tests.Cli;

public sealed class RunManifestSpecs
{
    [Fact]
    public void Run_flags_map_one_to_one_onto_a_manifest_the_parser_accepts()
    {
        var flags = new RunSettings
        {
            Image = "my-processor",
            Shards = 7,
            Memory = "64Mi",
            Cpus = "0.25",
            Env = ["INPUT=/data/in", "EMPTY="],
            Restart = "on-failure:5",
            Constraints = ["node != node1"],
            Binpack = true,
            Type = "service",
        };

        var parsed = ManifestParser.FromJson(RunManifest.FromFlags(flags, ["/bin/process", "--verbose"]));

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var spec = parsed.Spec!;
        Assert.Equal(("my-processor", 7, 64L * 1024 * 1024, 250), (spec.Name, spec.Shards, spec.Resources.MemoryBytes, spec.Resources.MilliCpus));
        Assert.Equal(["/bin/process", "--verbose"], spec.Command.ToArray());
        Assert.Equal(("/data/in", ""), (spec.Env["INPUT"], spec.Env["EMPTY"]));
        Assert.Equal((RestartMode.OnFailure, 5), (spec.Restart.Mode, spec.Restart.Attempts));
        Assert.Equal((PlacementStrategy.Binpack, JobType.Service), (spec.Placement.Strategy, spec.Type));
        Assert.Equal("node != node1", spec.Placement.Constraints.Single().ToString());
    }

    [Theory]
    [InlineData("-e", "NOEQUALS", "-e 'NOEQUALS' is not KEY=VALUE")]
    [InlineData("--restart", "on-failure:many", "--restart 'on-failure:many'")]
    public void Malformed_run_flags_name_the_flag(string flag, string value, string expected)
    {
        var flags = flag == "-e" ? new RunSettings { Image = "x", Env = [value] } : new RunSettings { Image = "x", Restart = value };

        var error = Assert.Throws<CliException>(() => RunManifest.FromFlags(flags, []));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

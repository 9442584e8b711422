using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Deploy;

/// <summary>The deployment files of this checkout, and the names in them that must agree with the agent.</summary>
public static partial class DeployFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Repo.Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    public static string ModuleNix => Path("deploy", "nixos", "module.nix");

    public static string FlakeExampleNix => Path("deploy", "nixos", "flake-example.nix");

    /// <summary>Option names declared in module.nix: every `name = mkOption {` and `name = mkEnableOption ...`.</summary>
    public static SortedSet<string> ModuleOptions() =>
        new(OptionDeclaration().Matches(File.ReadAllText(ModuleNix)).Select(m => m.Groups[1].Value), StringComparer.Ordinal);

    /// <summary>The SCHED_* names a file mentions.</summary>
    public static SortedSet<string> SchedVariables(string text) =>
        new(SchedVariable().Matches(text).Select(m => m.Value), StringComparer.Ordinal);

    /// <summary>The SCHED_* names `sched agent` reads: the string literals in AgentSettingsSources.cs.</summary>
    public static SortedSet<string> VariablesTheAgentReads() =>
        new(QuotedSchedVariable().Matches(Read("src", "Scheduler", "Cli", "AgentSettingsSources.cs")).Select(m => m.Groups[1].Value),
            StringComparer.Ordinal);

    /// <summary>The flags `sched agent --help` lists, without the leading dashes (help included).</summary>
    public static async Task<SortedSet<string>> AgentFlags()
    {
        var help = await Processes.RunAsync(Repo.SchedBinary, ["agent", "--help"], new Dictionary<string, string> { ["NO_COLOR"] = "1" });
        Assert.True(help.ExitCode == 0, $"sched agent --help failed: {help}");
        var flags = new SortedSet<string>(HelpFlag().Matches(help.Stdout).Select(m => m.Groups[1].Value), StringComparer.Ordinal);
        Assert.True(flags.Count > 5, $"found only [{string.Join(", ", flags)}] in the output of sched agent --help:\n{help.Stdout}");
        return flags;
    }

    /// <summary>camelCase option name to the kebab-case flag: reserveMemory -> reserve-memory.</summary>
    public static string Kebab(string camel) => UpperCase().Replace(camel, m => "-" + m.Value.ToLowerInvariant());

    /// <summary>
    /// The option for a flag: the same words (port, reserve-cpus), or the plural of a repeatable flag
    /// (--seed is seeds, --label is labels), as NixOS options name lists.
    /// </summary>
    public static bool OptionIsFlag(string option, string flag) => Kebab(option) == flag || Kebab(option) == flag + "s";

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(?:lib\.)?mk(?:Enable)?Option\b", RegexOptions.Multiline)]
    private static partial Regex OptionDeclaration();

    [GeneratedRegex(@"\bSCHED_[A-Z0-9_]+\b")]
    private static partial Regex SchedVariable();

    [GeneratedRegex("\"(SCHED_[A-Z0-9_]+)\"")]
    private static partial Regex QuotedSchedVariable();

    // Spectre's help: "    -h, --help   ..." or "        --data-dir <DIR>   ..."; wrapped description lines
    // (which may mention other flags) are indented much further.
    [GeneratedRegex(@"^ {4}(?:-[A-Za-z], | {4})--([a-z][a-z0-9-]*)\b", RegexOptions.Multiline)]
    private static partial Regex HelpFlag();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperCase();
}

/// <summary>Debian's nix-instantiate (package nix-bin): parses and evaluates Nix files without nixpkgs or a daemon.</summary>
public static class Nix
{
    public static async Task<ProcessResult> Instantiate(params string[] args)
    {
        if (!Tools.OnPath("nix-instantiate"))
        {
            Assert.Fail("nix-instantiate is not installed: run deploy/lib/install-test-tools.sh (Debian package nix-bin)");
        }

        // No build users exist here and nothing is built: silence nix's warning about the nixbld group.
        return await Processes.RunAsync("nix-instantiate", ["--option", "build-users-group", "", .. args]);
    }
}

public static class Tools
{
    public static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(System.IO.Path.Combine(dir, name)));
}

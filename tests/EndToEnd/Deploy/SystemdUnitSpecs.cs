using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Deploy;

/// <summary>
/// deploy/systemd: the plain units (the agent, its node guard) are ones systemd accepts without a single warning,
/// they run as the NixOS module's services do, and agent.env.example names exactly the settings the agent reads.
/// </summary>
public sealed partial class SystemdUnitSpecs
{
    private const string GuardService = "systemd.services.sched-guard";

    private static string Unit => DeployFiles.Read("deploy", "systemd", "sched-agent.service");

    private static string GuardUnit => DeployFiles.Read("deploy", "systemd", "sched-guard.service");

    /// <summary>module.nix up to the guard's service: the agent's service and everything else.</summary>
    private static string ModuleAgentPart => File.ReadAllText(DeployFiles.ModuleNix).Split(GuardService)[0];

    private static string ModuleGuardPart => File.ReadAllText(DeployFiles.ModuleNix).Split(GuardService)[1];

    [Theory]
    [InlineData("sched-agent.service", "agent")]
    [InlineData("sched-guard.service", "guard")]
    public async Task Systemd_verifies_the_unit_without_a_warning(string file, string command)
    {
        var text = DeployFiles.Read("deploy", "systemd", file);
        if (!Tools.OnPath("systemd-analyze"))
        {
            Assert.Fail("systemd-analyze is not installed (Debian package systemd)");
        }

        // The unit as shipped, except that ExecStart names the sched built from this checkout: verify checks
        // that the executable exists, and /usr/local/bin/sched is only there after deploy/install.sh.
        var dir = Directory.CreateTempSubdirectory("sched-unit-").FullName;
        try
        {
            var shipped = $"ExecStart=/usr/local/bin/sched {command}";
            Assert.Contains(shipped, text, StringComparison.Ordinal);
            // Both units, as installed together: the agent Wants= the guard.
            foreach (var unit in new[] { "sched-agent.service", "sched-guard.service" })
            {
                var content = DeployFiles.Read("deploy", "systemd", unit);
                await File.WriteAllTextAsync(Path.Combine(dir, unit), content.Replace("ExecStart=/usr/local/bin/sched", $"ExecStart={Repo.SchedBinary}", StringComparison.Ordinal));
            }

            var verify = await Processes.RunAsync("systemd-analyze", ["verify", Path.Combine(dir, file)]);

            Assert.True(verify.ExitCode == 0 && verify.Stdout.Trim().Length == 0 && verify.Stderr.Trim().Length == 0,
                $"systemd-analyze verify deploy/systemd/{file}: {verify}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_unit_hardens_the_agent_with_the_same_settings_as_the_NixOS_module()
    {
        var unit = ServiceSettings(Unit);
        var module = ModuleServiceSettings(ModuleAgentPart);
        // Where the two differ by design: a unit reads its settings from a file, the module writes them into the
        // unit and knows its data dir (a unit with another data dir adds ReadWritePaths, as its comment says).
        string[] unitOnly = ["Type", "EnvironmentFile", "ExecStart"];
        string[] moduleOnly = ["ReadWritePaths"];

        var missingInModule = unit.Keys.Except(unitOnly).Where(k => !module.ContainsKey(k)).ToList();
        var missingInUnit = module.Keys.Except(moduleOnly).Where(k => !unit.ContainsKey(k)).ToList();
        var different = unit.Where(u => module.TryGetValue(u.Key, out var m) && m is not null && m != u.Value)
            .Select(u => $"{u.Key}: unit {u.Value}, module {module[u.Key]}").ToList();

        Assert.True(missingInModule.Count == 0 && missingInUnit.Count == 0 && different.Count == 0,
            $"sched-agent.service and module.nix differ. Only in the unit: [{string.Join(", ", missingInModule)}]; "
            + $"only in the module: [{string.Join(", ", missingInUnit)}]; different values: [{string.Join("; ", different)}]");
        Assert.Equal(("always", "root", "strict", ""), (unit["Restart"], unit["User"], unit["ProtectSystem"], unit["CapabilityBoundingSet"]));
    }

    /// <summary>The guard runs wherever the agent runs, with the same environment file, and outlives it.</summary>
    [Fact]
    public void The_guard_unit_runs_as_the_NixOS_module_s_guard_service_and_the_agent_wants_it()
    {
        var unit = ServiceSettings(GuardUnit);
        var module = ModuleServiceSettings(ModuleGuardPart);
        string[] unitOnly = ["Type", "EnvironmentFile", "ExecStart"];

        var missingInModule = unit.Keys.Except(unitOnly).Where(k => !module.ContainsKey(k)).ToList();
        var missingInUnit = module.Keys.Where(k => !unit.ContainsKey(k)).ToList();
        var different = unit.Where(u => module.TryGetValue(u.Key, out var m) && m is not null && m != u.Value)
            .Select(u => $"{u.Key}: unit {u.Value}, module {module[u.Key]}").ToList();

        Assert.True(missingInModule.Count == 0 && missingInUnit.Count == 0 && different.Count == 0,
            $"sched-guard.service and module.nix's sched-guard differ. Only in the unit: [{string.Join(", ", missingInModule)}]; "
            + $"only in the module: [{string.Join(", ", missingInUnit)}]; different values: [{string.Join("; ", different)}]");
        Assert.Equal(("always", "root", "/etc/sched/agent.env", "yes"), (unit["Restart"], unit["User"], unit["EnvironmentFile"], unit["PrivateNetwork"]));
        Assert.Contains("Wants=sched-guard.service", Unit, StringComparison.Ordinal);
        Assert.DoesNotContain("BindsTo", GuardUnit, StringComparison.Ordinal);
    }

    [Fact]
    public void Agent_env_example_names_every_setting_the_agent_reads_and_nothing_else()
    {
        var example = DeployFiles.Read("deploy", "systemd", "agent.env.example");
        var reads = DeployFiles.VariablesTheAgentReads();
        reads.ExceptWith(["SCHED_CONFIG", "SCHED_DEV"]);

        var named = DeployFiles.SchedVariables(example);

        Assert.True(named.SetEquals(reads),
            $"agent.env.example names [{string.Join(", ", named.Except(reads))}] that the agent does not read, "
            + $"and leaves out [{string.Join(", ", reads.Except(named))}] that it does");
        var settingLines = example.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.All(settingLines, l => Assert.Matches(EnvironmentLine(), l));
        Assert.Contains("SCHED_HOST=node2.local", settingLines);
    }

    /// <summary>Key=Value lines of the [Service] section.</summary>
    private static Dictionary<string, string> ServiceSettings(string unit)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var section = "";
        foreach (var raw in unit.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                section = line;
            }
            else if (section == "[Service]" && line.Length > 0 && !line.StartsWith('#') && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                settings[line[..eq]] = line[(eq + 1)..];
            }
        }

        return settings;
    }

    /// <summary>
    /// The systemd settings in module.nix (capitalized attribute names), with literal values written as a unit
    /// would (true: yes, [ "a" "b" ]: a b); null for a computed value.
    /// </summary>
    private static Dictionary<string, string?> ModuleServiceSettings(string module) =>
        ModuleSetting().Matches(module).ToDictionary(m => m.Groups[1].Value, m => UnitValue(m.Groups[2].Value.Trim()), StringComparer.Ordinal);

    private static string? UnitValue(string nix) => nix switch
    {
        "true" => "yes",
        "false" => "no",
        _ when QuotedString().Match(nix) is { Success: true } s => s.Groups[1].Value,
        _ when ListOfStrings().Match(nix) is { Success: true } l => string.Join(' ', l.Groups[1].Captures.Select(c => c.Value)),
        _ => null,
    };

    [GeneratedRegex(@"^\s*([A-Z][A-Za-z]+)\s*=\s*(.*);\s*$", RegexOptions.Multiline)]
    private static partial Regex ModuleSetting();

    [GeneratedRegex("""^"([^"]*)"$""")]
    private static partial Regex QuotedString();

    [GeneratedRegex("""^\[(?:\s*"([^"]*)")*\s*\]$""")]
    private static partial Regex ListOfStrings();

    [GeneratedRegex("^SCHED_[A-Z0-9_]+=[^\\s\"']*$")]
    private static partial Regex EnvironmentLine();
}

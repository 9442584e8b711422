using System.Diagnostics;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The served /openapi/v1.json passes Redocly's recommended rules, so generated clients and viewers accept it.</summary>
public sealed class OpenApiLintSpecs(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    /// <summary>Where deploy/lib/install-redocly.sh (run by tests/run.sh) puts it.</summary>
    private const string Redocly = "/opt/sched-test-tools/redocly/node_modules/.bin/redocly";

    [Fact]
    public async Task Redocly_finds_no_error_in_the_served_document()
    {
        Assert.True(File.Exists(Redocly), $"{Redocly} is missing; run deploy/lib/install-redocly.sh (tests/run.sh does)");
        var document = Path.Combine(Directory.CreateTempSubdirectory("sched-openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(document, await api.Host.Anonymous.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative)));

        var (exitCode, output) = await Lint(document);

        // Redocly exits 1 on any error; warnings (no license, no 4XX answer on /healthz and /metrics) it only prints.
        Assert.True(exitCode == 0, $"redocly lint exited {exitCode}:\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> Lint(string document)
    {
        // In the document's own folder, so no redocly.yaml of the caller's changes the rules.
        var start = new ProcessStartInfo(Redocly)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(document)!,
        };
        foreach (var arg in new[] { "lint", "--format", "stylish", document })
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry or update check: the tests reach nothing but loopback.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

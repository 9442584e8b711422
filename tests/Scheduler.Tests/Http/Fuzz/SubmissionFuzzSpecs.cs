using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using Sched.Contracts.Jobs;
using Xunit.Abstractions;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// Fuzzes job submission with CsCheck from the README's manifest examples: over HTTP through the real API, and
/// straight into the manifest parser. The execution counts are printed (test output and standard output); a
/// failing case is shrunk and printed with the seed that replays it.
/// </summary>
public sealed class SubmissionFuzzSpecs(ITestOutputHelper output)
{
    private const long HttpExecutions = 100_000;
    private const long ParserExecutions = 20_000;

    [Fact]
    public async Task Every_fuzzed_submission_is_answered_201_400_413_or_415_never_5xx_and_a_400_names_the_fields_the_parser_names()
    {
        var seeds = ReadmeManifests.Load();
        await using var api = await FuzzApi.StartAsync();
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        await FuzzGen.Cases(seeds.Count).SampleAsync(
            async fuzz =>
            {
                var body = FuzzBody.Of(fuzz, seeds);
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = new ByteArrayContent(body) };
                if (fuzz.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
                }

                // As curl does for a large body: the server's 413 then comes before the body, not into a broken pipe.
                request.Headers.ExpectContinue = body.Length > 64 * 1024;
                using var response = await api.Client.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                SubmissionOracle.Check(body, fuzz.ContentType, response.StatusCode, response.Content.Headers.ContentType?.MediaType, answer);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            },
            writeLine: Print, iter: HttpExecutions, threads: 4, print: fuzz => fuzz.ToString());

        var total = statuses.Values.Sum();
        Print($"fuzz: {total:N0} HTTP submissions in {clock.Elapsed.TotalSeconds:F1} s ("
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value:N0}")) + $"), seeded from {seeds.Count} README example(s)");
        Assert.True(total >= HttpExecutions, $"only {total} submissions were answered");
        Assert.True(api.Log.Events.Count == 0, $"the server logged errors:\n{string.Join('\n', api.Log.Events.Take(5))}");
        Assert.True(statuses.ContainsKey(201) && statuses.ContainsKey(400) && statuses.ContainsKey(413) && statuses.ContainsKey(415),
            "the generator no longer reaches every answer; it has stopped fuzzing part of the path");
    }

    [Fact]
    public void The_manifest_parser_reads_every_fuzzed_text_to_a_spec_the_writer_keeps_or_to_errors_naming_fields()
    {
        var seeds = ReadmeManifests.Load();
        var valid = 0L;
        var refused = 0L;
        var clock = Stopwatch.StartNew();

        FuzzGen.Cases(seeds.Count).Sample(
            fuzz =>
            {
                var body = FuzzBody.Of(fuzz, seeds);
                var text = new StreamReader(new MemoryStream(body)).ReadToEnd();
                foreach (var format in new[] { ManifestFormat.Yaml, ManifestFormat.Json })
                {
                    var parsed = ManifestParser.Parse(text, format);
                    if (parsed.Spec is { } spec)
                    {
                        Interlocked.Increment(ref valid);
                        var written = ManifestWriter.ToJson(spec).ToJsonString();
                        Assert.Equal(written, ManifestWriter.ToJson(ManifestParser.Parse(written, ManifestFormat.Json).Spec!).ToJsonString());
                    }
                    else
                    {
                        Interlocked.Increment(ref refused);
                        Assert.NotEmpty(parsed.Errors);
                        Assert.All(parsed.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Field) || string.IsNullOrWhiteSpace(e.Message), $"an error without a field or message: {e}"));
                    }
                }
            },
            writeLine: Print, iter: ParserExecutions, print: fuzz => fuzz.ToString());

        Print($"fuzz: {ParserExecutions:N0} texts read by the manifest parser as YAML and as JSON in {clock.Elapsed.TotalSeconds:F1} s "
            + $"({valid:N0} specs, {refused:N0} refusals)");
        Assert.True(valid > 0 && refused > 0, "the generator produces only valid or only invalid manifests");
    }

    /// <summary>To the test's output, and to standard output so a plain `dotnet test` log shows the figures too.</summary>
    private void Print(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}

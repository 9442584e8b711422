using System.Globalization;
using Sched.Benchmarks.Dashboard;
using Sched.Benchmarks.Durability;
using Sched.Benchmarks.Http;
using Sched.Benchmarks.Placement;

namespace Sched.Benchmarks;

/// <summary>
/// The in-process figures of tests/Benchmarks/run.sh. Each figure is written to the results file as one
/// tab-separated row (figure, value, goal, met, anchor); details go to standard output.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var results = ValueAfter(args, "--results");
        switch (args.FirstOrDefault())
        {
            case "placement":
                var rows = PlacementBenchmark.Run(quick, Console.Out, ValueAfter(args, "--cell"));
                if (results is not null)
                {
                    File.AppendAllLines(results, rows.Select(r => r.ToTsv()));
                }

                return 0;
            case "state-commit":
                var commitRows = StateCommitBenchmark.Run(quick, ValueAfter(args, "--dir") ?? Directory.GetCurrentDirectory(), Console.Out);
                if (results is not null)
                {
                    File.AppendAllLines(results, commitRows.Select(r => r.ToTsv()));
                }

                return 0;
            case "http-limits" when ValueAfter(args, "--addr") is { } addr && ValueAfter(args, "--token-file") is { } tokenFile
                && int.TryParse(ValueAfter(args, "--pid"), CultureInfo.InvariantCulture, out var pid):
                var limits = HttpLimitsBenchmark.Run(quick, Console.Out, new Uri(addr), File.ReadAllText(tokenFile).Trim(), pid).GetAwaiter().GetResult();
                if (results is not null)
                {
                    File.AppendAllLines(results, limits.Select(r => r.ToTsv()));
                }

                return 0;
            case "dashboard" when ValueAfter(args, "--addr") is { } addr && ValueAfter(args, "--token-file") is { } tokenFile
                && int.TryParse(ValueAfter(args, "--pid"), CultureInfo.InvariantCulture, out var pid)
                && ValueAfter(args, "--job") is { } job
                && int.TryParse(ValueAfter(args, "--nodes"), CultureInfo.InvariantCulture, out var nodes)
                && int.TryParse(ValueAfter(args, "--seconds"), CultureInfo.InvariantCulture, out var seconds):
                var dashboard = DashboardBenchmark.Run(Console.Out, new Uri(addr), File.ReadAllText(tokenFile).Trim(), pid, job, nodes, TimeSpan.FromSeconds(seconds))
                    .GetAwaiter().GetResult();
                if (results is not null)
                {
                    File.AppendAllLines(results, dashboard.Select(r => r.ToTsv()));
                }

                return 0;
            default:
                Console.Error.WriteLine("usage: sched-bench placement [--quick] [--results FILE] [--cell NODESxSHARDS]");
                Console.Error.WriteLine("       sched-bench state-commit [--quick] [--results FILE] [--dir FOLDER-ON-THE-DATA-DISK]");
                Console.Error.WriteLine("       sched-bench http-limits --addr URL --token-file FILE --pid AGENT_PID [--quick] [--results FILE]");
                Console.Error.WriteLine("       sched-bench dashboard --addr URL --token-file FILE --pid NODE1_PID --job JOB_OF_7_SHARDS --nodes N --seconds OPEN [--results FILE]");
                return 2;
        }
    }

    private static string? ValueAfter(string[] args, string flag)
    {
        var i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

/// <summary>One line of the benchmark table.</summary>
public sealed record FigureRow(string Figure, string Value, string Goal, bool Met, string Anchor)
{
    public string ToTsv() => string.Join('\t', Figure, Value, Goal, Met ? "yes" : "no", Anchor);
}

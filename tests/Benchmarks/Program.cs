using Sched.Benchmarks.Durability;
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
            default:
                Console.Error.WriteLine("usage: sched-bench placement [--quick] [--results FILE] [--cell NODESxSHARDS]");
                Console.Error.WriteLine("       sched-bench state-commit [--quick] [--results FILE] [--dir FOLDER-ON-THE-DATA-DISK]");
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

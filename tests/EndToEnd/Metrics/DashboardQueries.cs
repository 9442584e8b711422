using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Metrics;

/// <summary>The PromQL of a Grafana dashboard: every <c>expr</c>, and the metric names each one reads.</summary>
public static partial class DashboardQueries
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    public static IReadOnlyList<string> Exprs(string dashboardJson)
    {
        using var doc = JsonDocument.Parse(dashboardJson);
        var exprs = new List<string>();
        Collect(doc.RootElement, exprs);
        return exprs;
    }

    /// <summary>
    /// The metric names an expression selects: what is left after string literals, label matchers, range selectors,
    /// grouping label lists and Grafana variables are removed, less function and aggregation names (followed by a
    /// parenthesis) and PromQL keywords.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var rest = StringLiteral().Replace(expr, "\"\"");
        rest = LabelMatchers().Replace(rest, " ");
        rest = RangeSelector().Replace(rest, " ");
        rest = GroupingLabels().Replace(rest, " ");
        rest = GrafanaVariable().Replace(rest, " ");
        return Identifier().Matches(rest).Select(m => m.Value).Where(name => !Keywords.Contains(name)).Distinct().ToList();
    }

    /// <summary>A Grafana expression with its variables replaced by values Prometheus can run.</summary>
    public static string Runnable(string expr) =>
        expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$job_id", ".*", StringComparison.Ordinal);

    private static void Collect(JsonElement element, List<string> exprs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        exprs.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, exprs);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, exprs);
                }

                break;
            default:
                break;
        }
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingLabels();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}

using Mono.Cecil;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Tests.Architecture;

/// <summary>
/// The decisions (state, events, placement, reconciliation, restart, confirmation and recovery rules) are pure: they
/// use no actor, hosting, HTTP, logging or metrics type, in their signatures or in their method bodies.
/// </summary>
public class DecisionPuritySpecs
{
    private const string Decisions = "Sched.Scheduler.Decisions";

    /// <summary>Namespaces whose types a decision must not touch; a name matches itself and what is under it.</summary>
    private static readonly string[] Forbidden =
    [
        "Akka",
        "Microsoft.AspNetCore",
        "Microsoft.Extensions.Hosting",
        "Microsoft.Extensions.Logging",
        "Serilog",
        "Prometheus",
        "Sched.NodeActor",
        "Sched.Scheduler.Actors",
        "Sched.Scheduler.Cli",
        "Sched.Scheduler.Durability",
        "Sched.Scheduler.Hosting",
        "Sched.Scheduler.Http",
        "Sched.Scheduler.Metrics",
    ];

    [Fact]
    public void No_decision_uses_an_actor_hosting_http_logging_or_metrics_type()
    {
        var decisions = TypesUnder(typeof(SchedulerState).Assembly, Decisions);

        var violations = decisions.SelectMany(TypeUses.Of).Where(use => IsForbidden(use.Used))
            .Select(use => $"{use.Where} uses {use.Used}").Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(decisions);
        Assert.True(violations.Count == 0, $"decisions must stay pure, but:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [Fact]
    public void The_check_sees_a_use_that_only_a_method_body_makes()
    {
        var fixture = TypesUnder(typeof(DecisionPuritySpecs).Assembly, typeof(BodyOnlyUse).Namespace!)
            .Single(t => t.Name == nameof(BodyOnlyUse));

        var used = TypeUses.Of(fixture).Where(use => IsForbidden(use.Used)).Select(use => use.Used).ToList();

        Assert.Contains("Serilog.Log", used);
    }

    private static bool IsForbidden(string typeName) =>
        Forbidden.Any(ns => typeName.StartsWith(ns + ".", StringComparison.Ordinal));

    private static List<TypeDefinition> TypesUnder(System.Reflection.Assembly assembly, string ns)
    {
        var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(assembly.Location)));
        return module.Types.Where(t => t.Namespace == ns || t.Namespace.StartsWith(ns + ".", StringComparison.Ordinal)).ToList();
    }
}

/// <summary>Logs only inside a method body: no signature of it names Serilog.</summary>
internal static class BodyOnlyUse
{
    public static int Decide(int value)
    {
        Serilog.Log.Information("deciding {Value}", value);
        return value + 1;
    }
}

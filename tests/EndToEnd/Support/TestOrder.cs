using Xunit.Abstractions;
using Xunit.Sdk;

namespace Sched.EndToEnd.Support;

/// <summary>
/// Marks a test that changes what the tests after it see (for example, adds a node to a shared cluster):
/// <see cref="RunsLastOrderer"/> runs it after the unmarked tests of its class.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>Unmarked tests first, by name; then the ones marked <see cref="RunsLastAttribute"/>, by name.</summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public const string TypeName = "Sched.EndToEnd.Support.RunsLastOrderer";
    public const string AssemblyName = "Sched.EndToEnd";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(RunsLastAttribute).AssemblyQualifiedName).Any())
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}

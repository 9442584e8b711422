using System.Collections;
using System.Collections.Immutable;
using System.Reflection;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>
/// Compares two object graphs by value, property by property and element by element, because records holding
/// ImmutableArray or ImmutableSortedDictionary compare those by reference. Returns one line per difference.
/// </summary>
internal static class StructuralDiff
{
    public static IReadOnlyList<string> Between(object? expected, object? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, expected?.GetType().Name ?? "value", differences);
        return differences;
    }

    private static void Compare(object? expected, object? actual, string path, List<string> differences)
    {
        if (expected is null || actual is null || expected.GetType() != actual.GetType())
        {
            if (!(expected is null && actual is null))
            {
                differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
            }

            return;
        }

        var type = expected.GetType();
        if (IsLeaf(type))
        {
            if (!LeafEquals(expected, actual))
            {
                differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
            }

            return;
        }

        if (IsDefaultImmutableArray(expected) || IsDefaultImmutableArray(actual))
        {
            if (IsDefaultImmutableArray(expected) != IsDefaultImmutableArray(actual))
            {
                differences.Add($"{path}: one side is a default (uninitialised) ImmutableArray, the other is not");
            }

            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            CompareSequences(expectedItems, (IEnumerable)actual, path, differences);
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}", differences);
            }
        }
    }

    private static void CompareSequences(IEnumerable expected, IEnumerable actual, string path, List<string> differences)
    {
        var left = expected.Cast<object?>().ToList();
        var right = actual.Cast<object?>().ToList();
        if (left.Count != right.Count)
        {
            differences.Add($"{path}: expected {left.Count} items, got {right.Count}");
            return;
        }

        for (var i = 0; i < left.Count; i++)
        {
            Compare(left[i], right[i], $"{path}[{i}]", differences);
        }
    }

    public static bool IsDefaultImmutableArray(object value) =>
        value.GetType() is { IsGenericType: true } type
        && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)
        && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(value)!;

    public static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid);

    // DateTimeOffset.Equals ignores the offset; a message should keep it.
    private static bool LeafEquals(object expected, object actual) =>
        expected is DateTimeOffset left && actual is DateTimeOffset right ? left.EqualsExact(right) : expected.Equals(actual);

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        DateTimeOffset time => time.ToString("O"),
        _ => value.ToString() ?? value.GetType().Name,
    };
}

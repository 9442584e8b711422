using System.Collections;
using System.Reflection;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>
/// Finds fields of the contract records that no sample sets to a non-default value. A field left at its default
/// would survive being dropped on the wire unnoticed, so every field must carry a real value in some sample.
/// </summary>
internal static class SampleCoverage
{
    private static readonly Assembly Contracts = typeof(ISchedMessage).Assembly;

    public static IReadOnlyList<string> UnsetFields(IEnumerable<Type> messageTypes, IEnumerable<object> samples)
    {
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        foreach (var type in messageTypes)
        {
            CollectDeclared(type, declared, seen);
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            CollectSet(sample, set);
        }

        return [.. declared.Where(field => !set.Contains(field))];
    }

    private static IEnumerable<PropertyInfo> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite && property.GetIndexParameters().Length == 0);

    private static void CollectDeclared(Type type, SortedSet<string> declared, HashSet<Type> seen)
    {
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                CollectDeclared(argument, declared, seen);
            }

            return;
        }

        if (type.Assembly != Contracts || type.IsEnum || !seen.Add(type))
        {
            return;
        }

        foreach (var property in Fields(type))
        {
            declared.Add($"{type.Name}.{property.Name}");
            CollectDeclared(property.PropertyType, declared, seen);
        }
    }

    private static void CollectSet(object? value, HashSet<string> set)
    {
        if (value is null || StructuralDiff.IsLeaf(value.GetType()))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            if (!StructuralDiff.IsDefaultImmutableArray(value))
            {
                foreach (var item in items)
                {
                    CollectSet(item, set);
                }
            }

            return;
        }

        var type = value.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(property => property.GetIndexParameters().Length == 0))
        {
            var field = property.GetValue(value);
            if (IsSet(field) && property.CanWrite)
            {
                set.Add($"{type.Name}.{property.Name}");
            }

            CollectSet(field, set);
        }
    }

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        IEnumerable items => !StructuralDiff.IsDefaultImmutableArray(value) && items.GetEnumerator().MoveNext(),
        _ when value.GetType().IsValueType => !value.Equals(Activator.CreateInstance(value.GetType())),
        _ => true,
    };
}

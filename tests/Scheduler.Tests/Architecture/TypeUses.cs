using Mono.Cecil;

namespace Sched.Scheduler.Tests.Architecture;

/// <summary>
/// Every type a compiled type refers to, read from its IL with Mono.Cecil: its signatures, and also what its method
/// bodies call, create, read and catch, including the closures and state machines the compiler nests in it.
/// </summary>
internal static class TypeUses
{
    public static IEnumerable<(string Where, string Used)> Of(TypeDefinition type)
    {
        var uses = new List<(string, string)>();
        Collect(type, type.FullName, uses);
        return uses;
    }

    /// <summary>The namespace a type is declared in; a nested type has the namespace of the type it is nested in.</summary>
    public static string NamespaceOf(TypeReference type) =>
        type.DeclaringType is { } outer ? NamespaceOf(outer) : type.Namespace;

    private static void Collect(TypeDefinition type, string where, List<(string, string)> uses)
    {
        void Use(TypeReference? used) => AddType(used, where, uses);

        Use(type.BaseType);
        type.Interfaces.ToList().ForEach(i => Use(i.InterfaceType));
        Attributes(type, where, uses);
        foreach (var field in type.Fields)
        {
            Use(field.FieldType);
            Attributes(field, $"{where}.{field.Name}", uses);
        }

        foreach (var property in type.Properties)
        {
            Use(property.PropertyType);
            Attributes(property, $"{where}.{property.Name}", uses);
        }

        foreach (var method in type.Methods)
        {
            Method(method, $"{where}.{method.Name}", uses);
        }

        foreach (var nested in type.NestedTypes)
        {
            Collect(nested, where, uses);
        }
    }

    private static void Method(MethodDefinition method, string where, List<(string, string)> uses)
    {
        AddType(method.ReturnType, where, uses);
        method.Parameters.ToList().ForEach(p => AddType(p.ParameterType, where, uses));
        Attributes(method, where, uses);
        if (!method.HasBody)
        {
            return;
        }

        method.Body.Variables.ToList().ForEach(v => AddType(v.VariableType, where, uses));
        method.Body.ExceptionHandlers.ToList().ForEach(h => AddType(h.CatchType, where, uses));
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference used:
                    AddType(used, where, uses);
                    break;
                case MethodReference called:
                    AddMember(called, where, uses);
                    break;
                case FieldReference field:
                    AddType(field.DeclaringType, where, uses);
                    AddType(field.FieldType, where, uses);
                    break;
                case CallSite site:
                    AddType(site.ReturnType, where, uses);
                    site.Parameters.ToList().ForEach(p => AddType(p.ParameterType, where, uses));
                    break;
                default:
                    break;
            }
        }
    }

    private static void AddMember(MethodReference called, string where, List<(string, string)> uses)
    {
        AddType(called.DeclaringType, where, uses);
        AddType(called.ReturnType, where, uses);
        called.Parameters.ToList().ForEach(p => AddType(p.ParameterType, where, uses));
        if (called is GenericInstanceMethod generic)
        {
            generic.GenericArguments.ToList().ForEach(a => AddType(a, where, uses));
        }
    }

    private static void Attributes(ICustomAttributeProvider owner, string where, List<(string, string)> uses) =>
        owner.CustomAttributes.ToList().ForEach(a => AddType(a.AttributeType, where, uses));

    private static void AddType(TypeReference? used, string where, List<(string, string)> uses)
    {
        switch (used)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                AddType(generic.ElementType, where, uses);
                generic.GenericArguments.ToList().ForEach(a => AddType(a, where, uses));
                return;
            case TypeSpecification specification:
                AddType(specification.ElementType, where, uses);
                return;
            default:
                uses.Add((where, $"{NamespaceOf(used)}.{used.Name}"));
                return;
        }
    }
}

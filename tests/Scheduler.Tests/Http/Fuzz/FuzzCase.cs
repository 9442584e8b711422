using System.Text.Json.Nodes;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// One generated request: a README seed, structural edits of its tree, how the tree is written out, damage done
/// to the text, and the Content-Type it is sent with. A case is data, so CsCheck can shrink a failing one and print it.
/// </summary>
public sealed record FuzzCase(int SeedIndex, TreeEdit[] Edits, Rendering Rendering, TextDamage Damage, string? ContentType)
{
    public override string ToString() =>
        $"seed {SeedIndex}, {Rendering}, content-type '{ContentType ?? "(none)"}', damage {Damage}, edits [{string.Join("; ", Edits.Select(e => e.ToString()))}]";
}

public enum EditKind { Replace, Remove, AddField, Rename, WrapInArray }

/// <summary>
/// A change at the <paramref name="Target"/>-th node of the tree in document order (taken modulo the node count,
/// so an edit applies to whatever tree earlier edits left).
/// </summary>
public sealed record TreeEdit(EditKind Kind, int Target, string Name, JsonNode? Value)
{
    public override string ToString() => $"{Kind} #{Target} '{Clip(Name)}' = {Clip(Value?.ToJsonString() ?? "null")}";

    internal static string Clip(string text) => text.Length <= 60 ? text : $"{text[..40]}...({text.Length} chars)";
}

public enum Rendering
{
    /// <summary>The tree as compact JSON.</summary>
    Json,

    /// <summary>The tree as block-style YAML.</summary>
    YamlBlock,

    /// <summary>The tree as JSON text, which is also flow-style YAML.</summary>
    YamlFlow,

    /// <summary>The README's own text, comments and all; the tree edits are not applied.</summary>
    SeedText,
}

public enum DamageKind { None, Truncate, InsertBytes, DuplicateSlice, NestingPrefix, AliasBomb, PadTo }

/// <summary>What is done to the rendered bytes: <paramref name="At"/> is a position taken modulo the length.</summary>
public sealed record TextDamage(DamageKind Kind, int At, int Size, byte[] Bytes)
{
    public static readonly TextDamage None = new(DamageKind.None, 0, 0, []);

    public override string ToString() => Kind switch
    {
        DamageKind.None => "none",
        DamageKind.InsertBytes => $"insert {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 24)))} at {At}",
        _ => $"{Kind} at {At} size {Size}",
    };
}

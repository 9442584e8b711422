using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// Generators of <see cref="FuzzCase"/>s: structural edits (wrong types, unknown and misspelt fields, numbers at
/// their bounds, huge and exotic strings, deep nesting) and text damage (truncation, stray bytes and YAML tokens,
/// alias bombs, bodies at and over the size limit), weighted toward what a person or a broken client sends.
/// </summary>
public static class FuzzGen
{
    private const int Limit = (int)ApiServer.MaxRequestBodyBytes;

    public static readonly string[] ManifestTypes =
        ["application/json", "application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml", "text/json"];

    private static readonly string[] OtherTypes =
    [
        "application/json; charset=utf-8", "APPLICATION/YAML", "application/yaml;charset=latin1", "", "text/plain",
        "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/problem+json",
        "application", "json", "yaml/application",
    ];

    private static readonly string[] FieldNames =
    [
        .. ManifestSchema.Fields.Select(f => f.Name), "Image", "IMAGE", "imgae", "shard", "maxshardspernode", "max_shards_per_node",
        "resource", "cpu", "mem", "envs", "", " ", "名前", "ímage", "🙂", "$type", "__proto__", "<<", "?", "-", "image\u0000", "x.y",
    ];

    private static readonly long[] BoundNumbers =
    [
        0, -1, 1, 2, 6, 99, 100, 101, 9_999, 10_000, 10_001, int.MaxValue, int.MinValue, (long)int.MaxValue + 1,
        long.MaxValue, long.MinValue, 1L << 53, (1L << 53) + 1, 6 * 1024 * 1024 - 1, 6 * 1024 * 1024,
    ];

    private static readonly double[] BoundFractions = [0.5, 0.001, 0.0005, 1e-9, 5e-324, -0.0, 1.5, 1e15, 1e308, -1e308, double.Epsilon, 0.1 + 0.2];

    private static readonly string[] TextFor =
    [
        "256Mi", "256m", "1g", "1Gi", "0", "-1Gi", "6Mi", "5Mi", "99999999999999999999Gi", "1e3m", "0x10", "1_000", "NaN", "Infinity",
        ".inf", "-.inf", "2s", "-2s", "0s", "1h", "1h1s", "99999999h", "P1D", "1.5s", "on-failure", "always", "never", "batch",
        "service", "spread", "binpack", "node != node1", "arch == arm64", "==", "node ==", "a == b == c", "node in (a, b)", "!= x",
        "my-processor:latest", "UPPER:tag", "a@sha256:0123", "registry:5000/x/y:z", "-leading", "trailing-", "null", "~", "true",
        "yes", "no", "on", "off", "0.5", "1e400", "-0", "\t", " ", "'", "\"", "\\", "${HOME}", "$(id)", "`id`", "%n%s", "\r\n",
        "/data/in:/in:ro", "/data/out/${SHARD}:/out", "/etc:/x", "/data/../etc:/x", "cache:/cache", "cache:/c:rw", "/in", "a:b:c:d",
        "8080:80", "80", "53/udp", "0:80", "65536:80", "1.2.3.4:80:80", "80/sctp", "/tmp", "/run:size=64m", "SIGINT", "TERM", "9",
        "1000", "1000:1000", "root", "host", "backend", "none", "${SHARD}", "${SCHED_NODE}", "${NOPE}", "--part ${SHARD_INDEX}",
    ];

    private static readonly string[] YamlTokens =
    [
        "{", "}", "[", "]", "\"", "'", ": ", "\n- ", "\n  ", "&a ", "*a", "*missing", "!!binary ", "!!python/object:os.system ",
        "!<tag:yaml.org,2002:str> ", "%YAML 1.1\n", "---\n", "...\n", "\t", "<<: *a\n", "? ", "|\n", ">-\n", "#", ",", "\\u0000",
        "\"\\ud800\"", "\uFEFF", "\u2028", "null", "1e999", "-",
    ];

    public static Gen<FuzzCase> Cases(int seedCount) =>
        Gen.Select(
            Gen.Int[0, seedCount - 1],
            Edit.Array[0, 4],
            Gen.Enum<Rendering>(),
            Damage,
            Gen.Bool,
            Gen.OneOf([.. ManifestTypes, .. OtherTypes]).Select(t => (string?)t),
            (seed, edits, rendering, damage, matching, otherType) =>
                new FuzzCase(seed, edits, rendering, damage, matching ? Matching(rendering, seed) : otherType))
        .Select(c => c.Damage.Kind == DamageKind.PadTo ? c with { ContentType = Matching(c.Rendering, c.SeedIndex) } : c);

    /// <summary>Usually what a client would send for the rendering; sometimes nothing (the API then reads JSON).</summary>
    private static string? Matching(Rendering rendering, int pick) => rendering switch
    {
        Rendering.Json => pick % 5 == 4 ? null : "application/json",
        _ => ManifestTypes[1 + (pick % 4)],
    };

    private static Gen<TreeEdit> Edit =>
        Gen.Select(Gen.Enum<EditKind>(), Gen.Int, Name, Value(depth: 2), (kind, target, name, value) => new TreeEdit(kind, target, name, value));

    private static Gen<string> Name => Gen.Frequency((8, Gen.OneOf(FieldNames)), (1, Unicode(0, 12)), (1, Gen.Int[200, 20_000].Select(n => new string('k', n))));

    private static Gen<JsonNode?> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (5, Gen.OneOf(TextFor).Select(Text)),
            (3, Gen.OneOf(BoundNumbers).Select(n => (JsonNode?)JsonValue.Create(n))),
            (1, Gen.OneOf(BoundFractions).Select(n => (JsonNode?)JsonValue.Create(n))),
            (1, Gen.Long.Select(n => (JsonNode?)JsonValue.Create(n))),
            (1, Gen.Double.Where(double.IsFinite).Select(n => (JsonNode?)JsonValue.Create(n))),
            (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, Gen.Const((JsonNode?)null)),
            (3, Unicode(0, 30).Select(Text)),
            (1, HugeText),
            (1, Nested));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Value(depth - 1);
        return Gen.Frequency(
            (6, leaf),
            (1, inner.Array[0, 5].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Name, inner).Array[0, 4].Select(Object)));
    }

    private static JsonNode? Text(string text) => JsonValue.Create(text);

    private static JsonNode? Object((string Name, JsonNode? Value)[] fields)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in fields)
        {
            obj[name] = value;
        }

        return obj;
    }

    /// <summary>A string of any Unicode scalar values: control characters, NUL, combining marks, right-to-left, astral.</summary>
    private static Gen<string> Unicode(int min, int max) =>
        Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Array[min, max]
            .Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));

    /// <summary>Long strings, mostly well under the body limit, a few that cross it alone.</summary>
    private static Gen<JsonNode?> HugeText =>
        Gen.Select(Gen.Int[1_000, 100_000], Gen.OneOf("x", "é", "🙂", "\\", "\n"), (n, unit) => Text(new StringBuilder(unit.Length * n).Insert(0, unit, n).ToString()));

    /// <summary>Arrays or objects nested far deeper than any manifest needs.</summary>
    private static Gen<JsonNode?> Nested =>
        Gen.Select(Gen.Int[20, 600], Gen.Bool, (depth, asArrays) =>
        {
            JsonNode node = JsonValue.Create("deep");
            for (var level = 0; level < depth; level++)
            {
                node = asArrays ? new JsonArray(node) : new JsonObject { ["a"] = node };
            }

            return (JsonNode?)node;
        });

    private static Gen<TextDamage> Damage => Gen.Frequency(
        (400, Gen.Const(TextDamage.None)),
        (100, Gen.Int.Select(at => new TextDamage(DamageKind.Truncate, at, 0, []))),
        (250, Gen.Select(Gen.Int, InsertedBytes, (at, bytes) => new TextDamage(DamageKind.InsertBytes, at, 0, bytes))),
        (50, Gen.Int.Select(at => new TextDamage(DamageKind.DuplicateSlice, at, 0, []))),
        (30, Gen.Int[1, 20_000].Select(depth => new TextDamage(DamageKind.NestingPrefix, 0, depth, []))),
        (15, Gen.Select(Gen.Int[0, 7], Gen.Int[1, 12], (width, levels) => new TextDamage(DamageKind.AliasBomb, width, levels, []))),
        (1, Gen.OneOf(Limit - 1, Limit, Limit + 1, 2 * Limit).Select(size => new TextDamage(DamageKind.PadTo, 0, size, []))));

    private static Gen<byte[]> InsertedBytes => Gen.Frequency(
        (3, Gen.OneOf(YamlTokens).Select(t => Encoding.UTF8.GetBytes(t))),
        (1, Gen.Byte.Array[1, 8]),
        (1, Gen.OneOf<byte[]>([0xFF], [0xFE, 0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x99], [0xED, 0xA0, 0x80], [0x00], [0xC0, 0xAF])));
}

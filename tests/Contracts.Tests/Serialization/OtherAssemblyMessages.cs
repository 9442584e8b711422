using System.Text.Json.Serialization;
using Sched.Contracts.Messages;
using Sched.Contracts.Serialization;

namespace Sched.Contracts.Tests.Serialization;

/// <summary>A message declared outside Sched.Contracts, as a scheduler-only reply would be.</summary>
public sealed record QueueDepth(string Queue, int Depth, DateTimeOffset? Since) : ISchedMessage;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ImmutableArrayConverterFactory), typeof(OrdinalSortedDictionaryConverterFactory)])]
[JsonSerializable(typeof(QueueDepth))]
internal sealed partial class OtherAssemblyJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Tests.Serialization.Clashing;

/// <summary>A message whose short name is a contracts message's: it cannot have a manifest of its own.</summary>
public sealed record StopJob(string JobId) : ISchedMessage;

[JsonSerializable(typeof(StopJob))]
internal sealed partial class ClashingJsonContext : JsonSerializerContext;

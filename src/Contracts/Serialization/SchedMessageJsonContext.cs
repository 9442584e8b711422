using System.Text.Json.Serialization;
using Sched.Contracts.Messages;

namespace Sched.Contracts.Serialization;

/// <summary>
/// Source-generated JSON metadata for every message of this assembly; its <c>[JsonSerializable]</c> lines are what
/// <see cref="MessageCatalog"/> registers. A new <see cref="ISchedMessage"/> type needs a line here;
/// SchedMessageSerializerTests fails until it has one. Another assembly's messages go in a context of its own with
/// exactly these options, added by <see cref="SchedSerialization.MessageContext"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ImmutableArrayConverterFactory), typeof(OrdinalSortedDictionaryConverterFactory)])]
[JsonSerializable(typeof(SubmitJob))]
[JsonSerializable(typeof(GetJobs))]
[JsonSerializable(typeof(GetJob))]
[JsonSerializable(typeof(StopJob))]
[JsonSerializable(typeof(ScaleJob))]
[JsonSerializable(typeof(PlanJob))]
[JsonSerializable(typeof(RerunJob))]
[JsonSerializable(typeof(RerunReply))]
[JsonSerializable(typeof(GetNodes))]
[JsonSerializable(typeof(JobReply))]
[JsonSerializable(typeof(JobListReply))]
[JsonSerializable(typeof(NodeListReply))]
[JsonSerializable(typeof(RegisterNode))]
[JsonSerializable(typeof(NodeRegistered))]
[JsonSerializable(typeof(ReportNow))]
[JsonSerializable(typeof(NodeContainers))]
[JsonSerializable(typeof(ReconcileVerdict))]
[JsonSerializable(typeof(RunShard))]
[JsonSerializable(typeof(ShardAccepted))]
[JsonSerializable(typeof(StopShard))]
[JsonSerializable(typeof(RemoveJobContainers))]
[JsonSerializable(typeof(ShardStarted))]
[JsonSerializable(typeof(ShardExited))]
[JsonSerializable(typeof(ShardStartFailed))]
[JsonSerializable(typeof(ShardFenced))]
[JsonSerializable(typeof(JobSnapshot))]
[JsonSerializable(typeof(JobEvent))]
[JsonSerializable(typeof(LogArchived))]
[JsonSerializable(typeof(FindShardLog))]
[JsonSerializable(typeof(ShardLogHeld))]
[JsonSerializable(typeof(StreamShardLogs))]
[JsonSerializable(typeof(StreamContainerLogs))]
[JsonSerializable(typeof(LogLines))]
[JsonSerializable(typeof(LogsEnded))]
[JsonSerializable(typeof(NodeImages))]
[JsonSerializable(typeof(ListImages))]
[JsonSerializable(typeof(FindImage))]
[JsonSerializable(typeof(ImageHolders))]
[JsonSerializable(typeof(GetImages))]
[JsonSerializable(typeof(ImageListReply))]
[JsonSerializable(typeof(ShardImageUnavailable))]
[JsonSerializable(typeof(ShardsAwaitImage))]
[JsonSerializable(typeof(SendImage))]
[JsonSerializable(typeof(ImageOffer))]
[JsonSerializable(typeof(ImageRefused))]
[JsonSerializable(typeof(ImageDemand))]
[JsonSerializable(typeof(ImageChunk))]
[JsonSerializable(typeof(ImageSent))]
[JsonSerializable(typeof(ImageTransferAborted))]
internal sealed partial class SchedMessageJsonContext : JsonSerializerContext;

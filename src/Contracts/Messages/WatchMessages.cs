using System.Collections.Immutable;

namespace Sched.Contracts.Messages;

/// <summary>
/// One change a person watching sees: a placement, a shard starting, ending, retrying, failing, lost, a job stopped.
/// Published by the scheduler to every scheduler node, which streams it as a server-sent event.
/// </summary>
public sealed record JobEvent(DateTimeOffset At, string JobId, int? Shard, int? Attempt, string Kind, string? Node, string Message) : ISchedMessage;

/// <summary>Asks the scheduler to have the agent that runs a shard stream its container's log to the sender.</summary>
public sealed record StreamShardLogs(string JobId, int Shard, bool Follow) : ISchedMessage;

/// <summary>Asks an agent to stream one container's log to the sender.</summary>
public sealed record StreamContainerLogs(string ContainerName, bool Follow) : ISchedMessage;

/// <summary>A batch of log lines, in order.</summary>
public sealed record LogLines(ImmutableArray<string> Lines) : ISchedMessage;

/// <summary>The log stream ended; Error says why when it did not end normally.</summary>
public sealed record LogsEnded(string? Error) : ISchedMessage;

/// <summary>The lines that follow come from the log an agent archived when it removed the container (a finished job).</summary>
public sealed record LogArchived(string ContainerName, DateTimeOffset ArchivedAt) : ISchedMessage;

/// <summary>Asks an agent which attempt of a shard it holds a log of: a container, or its archived log.</summary>
public sealed record FindShardLog(string JobId, int Shard) : ISchedMessage;

/// <summary>An agent's answer to <see cref="FindShardLog"/>: the latest attempt of the shard it holds a log of; null when none.</summary>
public sealed record ShardLogHeld(string JobId, int Shard, string Node, int? Attempt) : ISchedMessage;

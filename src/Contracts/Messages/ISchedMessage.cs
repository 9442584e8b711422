namespace Sched.Contracts.Messages;

/// <summary>Marks every message that may cross the network between sched nodes; the serializer binds to it.</summary>
public interface ISchedMessage;

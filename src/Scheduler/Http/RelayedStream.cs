using System.Threading.Channels;
using Akka.Actor;

namespace Sched.Scheduler.Http;

/// <summary>
/// One streaming response's end of a <see cref="ChannelRelay"/>: the items to write, and a token that is cancelled
/// when the client goes away or the moment the relay drops it. A reader that stopped reading leaves the handler
/// waiting on a write that never completes (the kernel's send buffer is full); the token ends that wait, so a
/// dropped reader is closed at once instead of holding its connection until Kestrel's data-rate timeout minutes later.
/// </summary>
public sealed class RelayedStream : IDisposable
{
    private readonly ActorSystem _system;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Channel<object> _channel = ChannelRelay.NewChannel();
    private bool _disposed;

    public RelayedStream(ActorSystem system, bool subscribeToEvents, CancellationToken requestAborted)
    {
        _system = system;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        Relay = system.ActorOf(ChannelRelay.Props(_channel.Writer, subscribeToEvents, _dropped));
        _ = _dropped.Task.ContinueWith(_ => StopWaiting(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Where the stream's source sends its items.</summary>
    public IActorRef Relay { get; }

    public ChannelReader<object> Items => _channel.Reader;

    /// <summary>Cancelled when the client has gone or was dropped: every read and write of the handler waits on it.</summary>
    public CancellationToken Token => _stop.Token;

    public bool ReaderDropped => _dropped.Task.IsCompleted;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _system.Stop(Relay);
        _stop.Dispose();
    }

    private void StopWaiting()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _stop.Cancel();
            }
        }
    }
}

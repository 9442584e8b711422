using System.Threading.Channels;

namespace Sched.NodeActor.Images;

/// <summary>
/// A read-only stream over chunks as they arrive, for the request body of an image load. It calls
/// <c>consumed</c> when it has handed on a whole chunk, so the sender can be asked for the next one; a channel
/// completed with an error makes the read throw, which aborts the load instead of ending the archive early.
/// </summary>
internal sealed class ChunkStream(ChannelReader<byte[]> chunks, Action consumed) : Stream
{
    private byte[] _current = [];
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == _current.Length)
        {
            if (!await chunks.WaitToReadAsync(cancellationToken) || !chunks.TryRead(out var next))
            {
                return 0;
            }

            (_current, _position) = (next, 0);
        }

        var count = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        if (_position == _current.Length)
        {
            consumed();
        }

        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

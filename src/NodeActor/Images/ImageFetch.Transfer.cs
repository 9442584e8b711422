using System.Security.Cryptography;
using System.Threading.Channels;
using Akka.Actor;
using Sched.Contracts.Messages;

namespace Sched.NodeActor.Images;

public sealed partial class ImageFetch
{
    /// <summary>
    /// One attempt to copy the image from one holder. The newest chunk is held back until the next one comes or
    /// the sender's byte count and hash agree, so podman never reads the end of an archive that did not add up.
    /// Only the actor touches it; the load reads its channel on another thread.
    /// </summary>
    private sealed class Transfer(string id, ImageHolder holder) : IDisposable
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(Window + 1);
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly CancellationTokenSource _cancel = new();
        private Action _consumed = () => { };
        private byte[]? _heldBack;

        public string Id { get; } = id;

        public ImageHolder Holder { get; } = holder;

        public IActorRef? Sender { get; private set; }

        public ImageOffer? Offer { get; private set; }

        public long Received { get; private set; }

        public DateTime StartedAt { get; private set; } = DateTime.UtcNow;

        public DateTime ReportedAt { get; set; }

        public void Start(IActorRef sender, ImageOffer offer, Action consumed) =>
            (Sender, Offer, _consumed, StartedAt) = (sender, offer, consumed, DateTime.UtcNow);

        public Task Load(IImageStore store) => store.LoadAsync(new ChunkStream(_chunks.Reader, _consumed), _cancel.Token);

        /// <summary>Null, or why the chunk cannot be taken.</summary>
        public string? Accept(ImageChunk chunk)
        {
            if (chunk.Offset != Received)
            {
                return $"a chunk at byte {chunk.Offset} came where byte {Received} was due";
            }

            if (_heldBack is not null && !_chunks.Writer.TryWrite(_heldBack))
            {
                return "the sender sent more than was asked for";
            }

            _sha256.AppendData(chunk.Data);
            _heldBack = chunk.Data;
            Received += chunk.Data.Length;
            return null;
        }

        /// <summary>Hands the last chunk to the load and ends the archive if the sender's count and hash match.</summary>
        public string? Complete(ImageSent sent)
        {
            var sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
            if (sent.Bytes != Received || sent.Sha256 != sha256)
            {
                return $"the archive did not add up: the sender sent {sent.Bytes} bytes (sha256 {sent.Sha256}), {Received} came (sha256 {sha256})";
            }

            if (_heldBack is not null)
            {
                _chunks.Writer.TryWrite(_heldBack);
                _heldBack = null;
            }

            _chunks.Writer.TryComplete();
            return null;
        }

        /// <summary>Makes the load fail instead of reading an archive that ends early.</summary>
        public void Cancel(string reason)
        {
            _chunks.Writer.TryComplete(new IOException($"image transfer abandoned: {reason}"));
            _cancel.Cancel();
        }

        public void Dispose()
        {
            _sha256.Dispose();
            _cancel.Dispose();
        }
    }
}

using System.Security.Cryptography;
using Akka.Actor;
using Sched.Contracts.Messages;
using Serilog;

namespace Sched.NodeActor.Images;

/// <summary>
/// Sends one image from this node's store to the agent that asked for it, a chunk for each one asked for: the
/// export stream from podman is read only as fast as the receiver loads, so at most one chunk is in this process.
/// Stops when the archive is sent, the receiver goes away or aborts, or it asks for nothing for a minute.
/// </summary>
public sealed class ImageSender : ReceiveActor, IDisposable
{
    /// <summary>48 KiB: its base64 in a JSON message stays under both the 128 KB frame and the large object heap.</summary>
    public const int ChunkBytes = 48 * 1024;

    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);
    private readonly IImageStore _store;
    private readonly SendImage _request;
    private readonly IActorRef _receiver;
    private readonly ILogger _log;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CancellationTokenSource _cancel = new();
    private Stream? _archive;
    private int _credit;
    private bool _reading;
    private long _sent;

    public ImageSender(IImageStore store, SendImage request, IActorRef receiver, ILogger log)
    {
        (_store, _request, _receiver, _log) = (store, request, receiver, log);
        Receive<Opened>(OnOpened);
        Receive<ImageDemand>(demand =>
        {
            _credit += demand.Chunks;
            ReadWhileAsked();
        });
        Receive<Read>(OnRead);
        Receive<Refusal>(refusal => Finish(new ImageRefused(_request.TransferId, refusal.Reason, Busy: false)));
        Receive<Status.Failure>(failure => Finish(new ImageTransferAborted(_request.TransferId, failure.Cause.GetBaseException().Message)));
        Receive<ImageTransferAborted>(_ => Context.Stop(Self));
        Receive<Terminated>(_ => Context.Stop(Self));
        Receive<ReceiveTimeout>(_ => Finish(new ImageTransferAborted(_request.TransferId, $"the receiver asked for nothing for {Idle.TotalSeconds:0} s")));
    }

    public static Props Props(IImageStore store, SendImage request, IActorRef receiver, ILogger log) =>
        Akka.Actor.Props.Create(() => new ImageSender(store, request, receiver, log));

    protected override void PreStart()
    {
        Context.Watch(_receiver);
        Context.SetReceiveTimeout(Idle);
        Open().PipeTo(Self);
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _archive?.Dispose();
    }

    public void Dispose()
    {
        _sha256.Dispose();
        _cancel.Dispose();
    }

    private async Task<object> Open()
    {
        var image = await _store.InspectAsync(_request.Image, _cancel.Token);
        if (image is null)
        {
            return new Refusal($"it does not hold image {_request.Image}");
        }

        if (image.Architecture != _request.Architecture)
        {
            return new Refusal($"its {_request.Image} is {image.Architecture}, not {_request.Architecture}");
        }

        return new Opened(image, await _store.ExportAsync(_request.Image, _cancel.Token));
    }

    private void OnOpened(Opened opened)
    {
        _archive = opened.Archive;
        _log.Information("sending image {Image} ({Id}) to {Receiver}", _request.Image, opened.Image.Id, _receiver.Path.Address);
        _receiver.Tell(new ImageOffer(_request.TransferId, opened.Image.Id, opened.Image.SizeBytes), Self);
        ReadWhileAsked();
    }

    private void ReadWhileAsked()
    {
        if (_archive is null || _reading || _credit <= 0)
        {
            return;
        }

        _reading = true;
        ReadChunk(_archive, _cancel.Token).PipeTo(Self, success: data => new Read(data));
    }

    private static async Task<byte[]> ReadChunk(Stream archive, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        var read = await archive.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private void OnRead(Read read)
    {
        _reading = false;
        if (read.Data.Length == 0)
        {
            _log.Information("sent image {Image} to {Receiver}: {Bytes} bytes", _request.Image, _receiver.Path.Address, _sent);
            Finish(new ImageSent(_request.TransferId, _sent, Convert.ToHexStringLower(_sha256.GetHashAndReset())));
            return;
        }

        _sha256.AppendData(read.Data);
        _receiver.Tell(new ImageChunk(_request.TransferId, _sent, read.Data), Self);
        _sent += read.Data.Length;
        _credit--;
        ReadWhileAsked();
    }

    private void Finish(object last)
    {
        _receiver.Tell(last, Self);
        Context.Stop(Self);
    }

    private sealed record Opened(HeldImage Image, Stream Archive);

    private sealed record Refusal(string Reason);

    private sealed record Read(byte[] Data);
}

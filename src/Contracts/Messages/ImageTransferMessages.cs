namespace Sched.Contracts.Messages;

// Copying an image from one agent's podman to another's, pulled by the receiver: it asks with SendImage, the
// holder answers with an offer and then sends only as many chunks as the receiver has asked for, so neither side
// ever holds more than a few chunks. Each chunk stays well under the transport's frame size.

/// <summary>Receiver to holder: send me this image (by name or id) if yours is of my architecture.</summary>
public sealed record SendImage(string TransferId, string Image, string Architecture) : ISchedMessage;

/// <summary>Holder to receiver: the image it will send, and about how many bytes the archive has.</summary>
public sealed record ImageOffer(string TransferId, string ImageId, long SizeBytes) : ISchedMessage;

/// <summary>Holder to receiver: it will not send (no such image, another architecture), or not now (Busy: it sends to others).</summary>
public sealed record ImageRefused(string TransferId, string Reason, bool Busy) : ISchedMessage;

/// <summary>Receiver to holder: send up to this many more chunks.</summary>
public sealed record ImageDemand(string TransferId, int Chunks) : ISchedMessage;

/// <summary>Holder to receiver: the next piece of the archive, starting at Offset.</summary>
public sealed record ImageChunk(string TransferId, long Offset, byte[] Data) : ISchedMessage;

/// <summary>Holder to receiver: the archive ended after Bytes bytes whose SHA-256 is Sha256 (lowercase hex).</summary>
public sealed record ImageSent(string TransferId, long Bytes, string Sha256) : ISchedMessage;

/// <summary>Either side: the transfer is abandoned, and why.</summary>
public sealed record ImageTransferAborted(string TransferId, string Reason) : ISchedMessage;

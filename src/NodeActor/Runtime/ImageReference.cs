namespace Sched.NodeActor.Runtime;

/// <summary>Splits an image reference into the repository and the tag (or digest) the pull API wants.</summary>
internal static class ImageReference
{
    public static (string Repository, string Tag) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        // A colon after the last slash separates the tag; one before it belongs to a registry port.
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}

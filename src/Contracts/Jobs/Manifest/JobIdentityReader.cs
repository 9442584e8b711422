using System.Text.RegularExpressions;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>image</c> and <c>name</c>; the name defaults to one derived from the image.</summary>
internal static partial class JobIdentityReader
{
    private const string NameRule =
        "1 to 40 lowercase letters, digits and '-', starting and ending with a letter or digit "
        + "(it becomes part of container names)";

    private const string ImageExample = "image: registry.local/team/my-processor:1.2";

    /// <returns>The image, or null when it is missing or wrong.</returns>
    public static string? ReadImage(ManifestSection job, FieldErrors errors)
    {
        var node = job["image"];
        if (node is null)
        {
            errors.Add("image", $"is required: the container image every shard runs, e.g. {ImageExample}");
            return null;
        }

        if (ManifestValues.TryGetText(node, out var image) && image.Length > 0 && !image.Any(char.IsWhiteSpace))
        {
            return image;
        }

        errors.Add("image", $"must be an image reference without spaces, e.g. {ImageExample}; got {ManifestValues.Describe(node)}");
        return null;
    }

    /// <returns>The name, or null when it is wrong or cannot be derived.</returns>
    public static string? ReadName(ManifestSection job, string? image, FieldErrors errors)
    {
        var node = job["name"];
        if (node is null)
        {
            return image is null ? null : DeriveName(image, errors);
        }

        if (!ManifestValues.TryGetText(node, out var name))
        {
            errors.Add("name", $"must be {NameRule}, e.g. name: my-processor; got {ManifestValues.Describe(node)}");
        }
        else if (NamePattern().IsMatch(name))
        {
            return name;
        }
        else if (NamePattern().IsMatch(name.ToLowerInvariant()))
        {
            errors.Add("name", $"must be lowercase (it becomes part of container names); use name: {name.ToLowerInvariant()}");
        }
        else
        {
            errors.Add("name", $"'{name}' is not a valid name; use {NameRule}, e.g. name: my-processor");
        }

        return null;
    }

    /// <summary>
    /// The image's last path segment without tag or digest, made fit for container names:
    /// <c>registry.local/team/My_Processor:1.2</c> → <c>my-processor</c>.
    /// </summary>
    private static string? DeriveName(string image, FieldErrors errors)
    {
        var withoutDigest = image.Split('@')[0];
        var lastSegment = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
        var repository = lastSegment.Split(':')[0];
        var name = InvalidNameCharacters().Replace(repository.ToLowerInvariant(), "-").Trim('-');
        name = name[..Math.Min(name.Length, 40)].Trim('-');
        if (NamePattern().IsMatch(name))
        {
            return name;
        }

        errors.Add("name", $"cannot be derived from image '{image}'; set it to {NameRule}, e.g. name: my-processor");
        return null;
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex InvalidNameCharacters();
}

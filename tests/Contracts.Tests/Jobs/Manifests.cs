using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>Reads test manifests, failing with the reported errors when a manifest meant to be valid is not.</summary>
internal static class Manifests
{
    public static ManifestResult Yaml(string text) => ManifestParser.Parse(text, ManifestFormat.Yaml);

    public static JobSpec ValidYaml(string text) => Valid(Yaml(text));

    public static JobSpec Valid(ManifestResult result)
    {
        Assert.True(
            result.IsValid,
            "expected a valid manifest, got: " + string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Spec!;
    }

    /// <summary>The one error a manifest is expected to have.</summary>
    public static FieldError SingleError(string yaml)
    {
        var result = Yaml(yaml);
        Assert.Null(result.Spec);
        return Assert.Single(result.Errors);
    }
}

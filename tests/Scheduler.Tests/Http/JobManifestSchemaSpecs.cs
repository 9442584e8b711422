using System.Text.Json;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Http;

namespace Sched.Scheduler.Tests.Http;

/// <summary>The manifest the OpenAPI document describes has exactly the fields of <see cref="ManifestSchema"/>.</summary>
public sealed class JobManifestSchemaSpecs
{
    [Fact]
    public void The_documented_manifest_has_every_schema_field_and_no_other()
    {
        var documented = PathsOf(typeof(JobManifest), "").Order(StringComparer.Ordinal);

        Assert.Equal(ManifestSchema.Fields.Select(field => field.Path).Order(StringComparer.Ordinal), documented);
    }

    // Sections are the records of this namespace (ManifestResources, ...); everything else is a value.
    private static IEnumerable<string> PathsOf(Type record, string prefix) =>
        record.GetProperties().SelectMany(property =>
        {
            var path = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            return type.Namespace == typeof(JobManifest).Namespace && type.IsClass
                ? PathsOf(type, path + ".").Prepend(path)
                : [path];
        });
}

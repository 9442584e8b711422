using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>placement</c>: the strategy, a per-node shard cap and constraints on node name and labels.</summary>
internal static class PlacementReader
{
    public static PlacementRules Read(JsonNode? node, FieldErrors errors)
    {
        var placement = ManifestSection.Open(
            node, "placement", ManifestSchema.FieldsOf("placement"),
            "placement: { strategy: spread, maxShardsPerNode: 2, constraints: [\"node != node1\"] }", errors);
        var strategy = ManifestValues.ReadChoice(
            placement["strategy"], placement.PathOf("strategy"), ManifestChoices.PlacementStrategies,
            PlacementStrategy.Spread, errors);
        int? maxShardsPerNode = placement["maxShardsPerNode"] is { } cap
            ? ManifestValues.ReadWholeNumber(cap, placement.PathOf("maxShardsPerNode"), 1, 10_000, 1, "maxShardsPerNode: 2", errors)
            : null;
        var constraints = ReadConstraints(placement["constraints"], placement.PathOf("constraints"), errors);
        return new PlacementRules(strategy, maxShardsPerNode, constraints);
    }

    private static ImmutableArray<PlacementConstraint> ReadConstraints(JsonNode? node, string field, FieldErrors errors) =>
        ManifestValues.ReadList(
            node, field, "constraints: [\"node != node1\", \"arch == arm64\"]", errors, (text, itemField) =>
            {
                if (ConstraintParser.TryParse(text, out var constraint, out var error))
                {
                    return constraint;
                }

                errors.Add(itemField, error);
                return null;
            });
}

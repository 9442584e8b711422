using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>ports</c> as podman's <c>-p</c> writes them: HOST:CONTAINER or CONTAINER, with an optional /tcp or /udp.</summary>
internal static class PortReader
{
    private const string Form = "HOST:CONTAINER for a fixed host port or CONTAINER for one chosen on the node, optionally /udp, e.g. 8080:80 or 80";

    public static ImmutableArray<PortMapping> Read(JsonNode? node, FieldErrors errors)
    {
        var ports = ManifestValues.ReadList(node, "ports", "ports: [\"8080:80\"]", errors, (text, field) =>
        {
            if (TryParse(text, out var port))
            {
                return port;
            }

            errors.Add(field, $"'{text}' is not a port; use {Form} (ports 1..65535; a host address is not supported)");
            return null;
        });

        var seen = new HashSet<(int, string)>();
        for (var i = 0; i < ports.Length; i++)
        {
            if (ports[i].HostPort is { } host && !seen.Add((host, ports[i].Protocol)))
            {
                errors.Add($"ports[{i}]", $"host port {host}/{ports[i].Protocol} is published twice; publish each host port once");
            }
        }

        return ports;
    }

    private static bool TryParse(string text, out PortMapping? port)
    {
        port = null;
        var slash = text.Split('/');
        var protocol = slash.Length == 2 ? slash[1].ToLowerInvariant() : PortMapping.Tcp;
        if (slash.Length > 2 || protocol is not (PortMapping.Tcp or PortMapping.Udp))
        {
            return false;
        }

        var numbers = slash[0].Split(':');
        if (numbers.Length > 2 || !numbers.All(IsPort))
        {
            return false;
        }

        int? host = numbers.Length == 2 ? Number(numbers[0]) : null;
        port = new PortMapping(host, Number(numbers[^1]), protocol);
        return true;
    }

    private static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sched.Scheduler.Hosting;

namespace Sched.Scheduler.Cli;

/// <summary>
/// The id on every container of a cluster (label sched.cluster). A dev agent gets one of its own per data dir, so a
/// dev agent beside a cluster node on one podman socket, or two dev agents, never touch each other's containers,
/// while a dev agent restarted on the same data dir still finds its own.
/// </summary>
public static partial class ClusterIds
{
    public static string Resolve(string? given, bool dev, string dataDir, List<string> errors)
    {
        if (given is not null)
        {
            if (!Valid().IsMatch(given))
            {
                errors.Add($"--cluster-id '{given}': use 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
            }

            return given;
        }

        return dev ? "dev-" + Hash(Path.GetFullPath(dataDir)) : AgentConfig.DefaultClusterId;
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Valid();
}

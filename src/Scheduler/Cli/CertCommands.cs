using System.ComponentModel;
using Sched.Scheduler.Hosting;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

public class CertSettings : CommandSettings
{
    [CommandOption("--dir <DIR>")]
    [Description("the cluster CA's directory (ca.key, ca.crt; node directories go below it). Default: ./sched-ca")]
    public string Dir { get; init; } = "sched-ca";
}

public sealed class CertIssueSettings : CertSettings
{
    [CommandArgument(0, "<NODE>")]
    [Description("the node's name, as its agent's --node-name")]
    public string Node { get; init; } = "";

    [CommandOption("--san <NAME>")]
    [Description("another host name or IP address of the node, e.g. node3.local or 192.168.1.13 (repeatable)")]
    public string[] Sans { get; init; } = [];
}

/// <summary>`sched cert init` and `sched cert issue`: the cluster's CA and its node certificates.</summary>
public static class CertCommands
{
    public static void AddTo(IConfigurator config) =>
        config.AddBranch("cert", cert =>
        {
            cert.SetDescription("make the cluster CA and node certificates for mutual TLS between agents");
            cert.AddCommand<CertInitCommand>("init").WithDescription("create the cluster CA (once per cluster)")
                .WithExample("cert", "init", "--dir", "sched-ca");
            cert.AddCommand<CertIssueCommand>("issue").WithDescription("issue a node's certificate, signed by the cluster CA")
                .WithExample("cert", "issue", "node3", "--san", "node3.local");
        });
}

public sealed class CertInitCommand : Command<CertSettings>
{
    public override int Execute(CommandContext context, CertSettings settings, CancellationToken cancellationToken)
    {
        var authority = ClusterCertificates.CreateAuthority(settings.Dir, DateTimeOffset.UtcNow);
        Console.WriteLine($"cluster CA '{authority.Subject}' valid until {authority.NotAfter:yyyy-MM-dd}:");
        Console.WriteLine($"  {Path.Combine(settings.Dir, ClusterCertificates.AuthorityKeyFile)}  (0600) the CA's key: keep it here, off the nodes, and back it up");
        Console.WriteLine($"  {Path.Combine(settings.Dir, ClusterTls.AuthorityFile)}  (0644) the CA's certificate, copied to every node by `sched cert issue`");
        Console.WriteLine($"next: sched cert issue NODE --dir {settings.Dir}   (once per node)");
        return 0;
    }
}

public sealed class CertIssueCommand : Command<CertIssueSettings>
{
    public override int Execute(CommandContext context, CertIssueSettings settings, CancellationToken cancellationToken)
    {
        var nodeDir = Path.Combine(settings.Dir, settings.Node);
        var certificate = ClusterCertificates.IssueNode(settings.Dir, settings.Node, settings.Sans, nodeDir, DateTimeOffset.UtcNow);
        var names = string.Join(", ", [settings.Node, .. settings.Sans]);
        Console.WriteLine($"certificate for {settings.Node} ({names}) valid until {certificate.NotAfter:yyyy-MM-dd}, in {nodeDir}:");
        Console.WriteLine($"  {ClusterTls.AuthorityFile} (0644)  {ClusterTls.CertificateFile} (0644)  {ClusterTls.KeyFile} (0600)");
        Console.WriteLine($"copy the directory to {settings.Node}, outside the Nix store, readable by root only, e.g.:");
        Console.WriteLine($"  ssh root@{settings.Node} install -d -m 0700 /var/lib/sched/tls && scp -p {nodeDir}/* root@{settings.Node}:/var/lib/sched/tls/");
        Console.WriteLine("and start its agent with --tls-dir /var/lib/sched/tls (SCHED_TLS_DIR; the NixOS module's tlsDir)");
        return 0;
    }
}

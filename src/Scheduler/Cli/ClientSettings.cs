using System.ComponentModel;
using Spectre.Console.Cli;

namespace Sched.Scheduler.Cli;

/// <summary>What every command that talks to a running sched shares: where it is and its API token.</summary>
public class ClientSettings : CommandSettings
{
    public const string DefaultAddress = "http://127.0.0.1:4080";

    [CommandOption("--addr <URL>")]
    [Description("sched HTTP address(es), comma-separated; the first that answers is used; ssh://root@node1.local (?api=PORT: not 4080) tunnels to a node's loopback API (default: $SCHED_ADDR, else http://127.0.0.1:4080)")]
    public string? Addr { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("API token (default: $SCHED_TOKEN, else the agent's token file: $SCHED_TOKEN_FILE, $SCHED_DATA_DIR/api-token, ./.sched/api-token, /var/lib/sched/api-token)")]
    public string? Token { get; init; }

    [CommandOption("--ca <FILE>")]
    [Description("cluster CA an https:// address's certificate must chain to (default: $SCHED_CA, $SCHED_TLS_DIR/ca.crt, /var/lib/sched/tls/ca.crt, else the system's trust store)")]
    public string? Ca { get; init; }

    [CommandOption("--jump <HOST>")]
    [Description("jump host for ssh:// addresses, as ssh -J takes it, e.g. me@gateway.example (default: $SCHED_JUMP)")]
    public string? Jump { get; init; }

    public ApiClient CreateClient()
    {
        var list = Addr ?? Environment.GetEnvironmentVariable("SCHED_ADDR") ?? DefaultAddress;
        var jump = Jump ?? Environment.GetEnvironmentVariable("SCHED_JUMP");
        var tunnels = new List<SshTunnel>();
        try
        {
            var addresses = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(a => SshTunnel.IsSsh(a) ? Opened(tunnels, SshTunnel.Open(a, jump, Environment.GetEnvironmentVariable)) : Parse(a))
                .ToList();
            return new ApiClient(addresses, ClientToken.Find(Token, Environment.GetEnvironmentVariable), ApiTrust.Find(Ca, Environment.GetEnvironmentVariable), tunnels);
        }
        catch
        {
            tunnels.ForEach(t => t.Dispose());
            throw;
        }
    }

    private static Uri Opened(List<SshTunnel> tunnels, SshTunnel tunnel)
    {
        tunnels.Add(tunnel);
        return tunnel.Local;
    }

    private static Uri Parse(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        return Uri.TryCreate(withScheme.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
            ? uri
            : throw new CliException($"--addr '{text}' is not an address; use e.g. http://node1.local:4080, https://node1.local:4080 or node1.local:4080,node2.local:4080");
    }
}

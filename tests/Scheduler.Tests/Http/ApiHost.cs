using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sched.NodeActor.Agent;
using Sched.Scheduler.Hosting;
using Sched.Scheduler.Http.Auth;
using Sched.Tests.Fakes;
using Serilog;

namespace Sched.Scheduler.Tests.Http;

/// <summary>A whole dev-mode agent (cluster singleton included) over an in-memory engine, with HTTP on a free port.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly AgentHost _host;

    private ApiHost(AgentHost host, string dataDir, FakeRuntime runtime, string token)
    {
        _host = host;
        DataDir = dataDir;
        Runtime = runtime;
        Anonymous = new HttpClient { BaseAddress = host.HttpAddress };
        Authorized = WithToken(token);
    }

    public string DataDir { get; }

    public FakeRuntime Runtime { get; }

    /// <summary>Sends no Authorization header.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Sends the token the agent wrote to its data dir.</summary>
    public HttpClient Authorized { get; }

    /// <summary>Every endpoint the HTTP API maps, as ASP.NET Core routes requests to them.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. _host.HttpServices!.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>The HTTP API's services, as the framework resolves them.</summary>
    public IServiceProvider Services => _host.HttpServices!;

    public static async Task<ApiHost> StartAsync(string? tokenFile = null)
    {
        var runtime = new FakeRuntime { Hold = true };
        var dataDir = Directory.CreateTempSubdirectory("sched-test-").FullName;
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["arch"] = "arm64", ["node"] = "node1" });
        var config = new AgentConfig("node1", "127.0.0.1", 0, [], ["scheduler", "worker"], new IPEndPoint(IPAddress.Loopback, 0),
            dataDir, "", labels, AgentOptions.DefaultReservation, JoinSelf: true, TokenFile: tokenFile);
        var host = await AgentHost.StartAsync(config, new LoggerConfiguration().CreateLogger(), CancellationToken.None, runtime);
        return new ApiHost(host, dataDir, runtime, File.ReadAllText(tokenFile ?? ApiTokenFile.DefaultPath(dataDir)).Trim());
    }

    public HttpClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = _host.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        Authorized.Dispose();
        await _host.DisposeAsync();
    }
}

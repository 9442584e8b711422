using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;
using Sched.Scheduler.Http.Auth;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Sched.Scheduler.Tests.Http.Fuzz;

/// <summary>
/// The real HTTP API (ApiServer.Build: Kestrel on loopback, its limits, middleware and endpoints) in front of a
/// scheduler that accepts every job it is sent, so each request exercises the whole submission path and nothing
/// else. Every warning or error the server logs is kept, to be asserted on.
/// </summary>
public sealed class FuzzApi : IAsyncDisposable
{
    private const string Token = "fuzz-token";
    private readonly ActorSystem _system;
    private readonly WebApplication _web;

    private FuzzApi(ActorSystem system, WebApplication web, LogCollector log)
    {
        _system = system;
        _web = web;
        Log = log;
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = new Uri(address) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>The server's --allow-host-path roots: a manifest's host paths outside them are refused with a 400.</summary>
    public static IReadOnlyCollection<string> AllowedHostPaths { get; } = ["/data"];

    public HttpClient Client { get; }

    public LogCollector Log { get; }

    public static async Task<FuzzApi> StartAsync()
    {
        var system = ActorSystem.Create("fuzz", "akka.loglevel = WARNING");
        var scheduler = system.ActorOf(Props.Create(() => new AcceptingScheduler()), "scheduler");
        var log = new LogCollector();
        var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Sink(log).CreateLogger();
        var tokens = new ApiTokens(new ApiToken(Token, "/fuzz/api-token"), ReadOnly: null);
        var web = ApiServer.Build(new ApiListener(new IPEndPoint(IPAddress.Loopback, 0)), new SchedulerGateway(system, scheduler, AllowedHostPaths), tokens, logger);
        await web.StartAsync();
        return new FuzzApi(system, web, log);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
        await _system.Terminate();
    }

    /// <summary>Answers every submission with the job it describes, as a scheduler with room for anything would.</summary>
    private sealed class AcceptingScheduler : ReceiveActor
    {
        public AcceptingScheduler() =>
            Receive<SubmitJob>(submit => Sender.Tell(new JobReply(new JobView("j-fuzz", submit.Spec, JobStatus.Pending, null, DateTimeOffset.UnixEpoch, []))));
    }
}

/// <summary>The server's log events at warning level and above.</summary>
public sealed class LogCollector : ILogEventSink
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyCollection<string> Events => _events;

    public void Emit(LogEvent logEvent) =>
        _events.Enqueue($"{logEvent.Level}: {logEvent.RenderMessage()} {logEvent.Exception}");
}

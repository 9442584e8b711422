using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sched.Contracts.Messages;
using Sched.Scheduler.Http;
using Sched.Scheduler.Http.Auth;
using Sched.Scheduler.Metrics;
using Serilog;
using Xunit.Abstractions;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>GET /metrics of the HTTP API, with a test probe standing in for the scheduler.</summary>
public sealed class MetricsEndpointSpecs : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly TestProbe _scheduler;
    private WebApplication? _web;
    private HttpClient _http = new();

    public MetricsEndpointSpecs(ITestOutputHelper output)
        : base(output: output) => _scheduler = CreateTestProbe();

    public Task InitializeAsync() => Serve(ScrapeCache.DefaultMaxAge);

    private async Task Serve(TimeSpan maxAge)
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        var gateway = new SchedulerGateway(Sys, _scheduler.Ref);
        _web = ApiServer.Build(new ApiListener(new IPEndPoint(IPAddress.Loopback, 0)), gateway,
            new ApiTokens(new ApiToken("a-token-this-client-never-sends", "/nonexistent/api-token"), null), new LoggerConfiguration().CreateLogger(),
            app => app.MapMetricsEndpoint(gateway.JobsAndNodes, maxAge));
        await _web.StartAsync();
        var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_are_open_and_in_the_prometheus_text_format_with_the_state_the_scheduler_reports()
    {
        AnswerWithOneUnhealthyNode();

        using var response = await _http.GetAsync(new Uri("metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("\nsched_scheduler_reachable 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nsched_nodes{state=\"unhealthy\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nsched_node_allocatable_cpu_cores{node=\"node1\"} 1.5\n", text, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total ", text, StringComparison.Ordinal);
        Assert.Contains("\nsched_placements_total ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduler_that_does_not_answer_makes_a_scrape_say_so_within_its_timeout_instead_of_failing()
    {
        var clock = Stopwatch.StartNew();
        using var response = await _http.GetAsync(new Uri("metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\nsched_scheduler_reachable 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nsched_nodes{", text, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, MetricsEndpoint.StateTimeout - TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Fifty_scrapes_at_once_and_after_each_other_ask_the_scheduler_for_its_state_once()
    {
        await Serve(TimeSpan.FromHours(1));
        var asked = 0;
        AnswerWithOneUnhealthyNode(() => Interlocked.Increment(ref asked));

        var atOnce = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => _http.GetStringAsync(new Uri("metrics", UriKind.Relative))));
        var afterEachOther = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            afterEachOther.Add(await _http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        }

        Assert.All(atOnce.Concat(afterEachOther), text => Assert.Contains("\nsched_nodes{state=\"unhealthy\"} 1\n", text, StringComparison.Ordinal));
        Assert.Equal(1, Volatile.Read(ref asked));
    }

    [Fact]
    public async Task A_scrape_after_the_rendering_aged_asks_the_scheduler_again()
    {
        await Serve(TimeSpan.Zero);
        var asked = 0;
        AnswerWithOneUnhealthyNode(() => Interlocked.Increment(ref asked));

        for (var i = 0; i < 3; i++)
        {
            await _http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        }

        Assert.Equal(3, Volatile.Read(ref asked));
    }

    /// <summary>The probe answers as the scheduler would; <paramref name="onJobsAsked"/> counts the state queries.</summary>
    private void AnswerWithOneUnhealthyNode(Action? onJobsAsked = null) =>
        _scheduler.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is GetJobs)
            {
                onJobsAsked?.Invoke();
            }

            sender.Tell(message switch
            {
                GetJobs => new JobListReply([]),
                _ => new NodeListReply([new NodeView("node1", NodeStatus.Unhealthy, "podman socket down", new NodeCapacity(2000, 1L << 30),
                    new NodeCapacity(1500, 1L << 29), new NodeCapacity(0, 0), ImmutableSortedDictionary<string, string>.Empty, 0)]),
            });
            return AutoPilot.KeepRunning;
        }));
}

using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Sched.Scheduler.Cli;

/// <summary>Human-readable lines on a terminal or in a file; compact JSON when systemd's journal reads stdout.</summary>
public static class LogSetup
{
    public static ILogger Create()
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Akka", LogEventLevel.Warning)
            .MinimumLevel.Override("Akka.Cluster.Tools.Singleton", LogEventLevel.Information)
            .Enrich.FromLogContext();
        return Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null
            ? config.WriteTo.Console(new CompactJsonFormatter()).CreateLogger()
            : config.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}").CreateLogger();
    }
}

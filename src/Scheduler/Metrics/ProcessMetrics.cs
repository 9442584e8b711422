using Prometheus;

namespace Sched.Scheduler.Metrics;

/// <summary>
/// The process-wide registry: prometheus-net's process metrics (CPU, memory, threads, GC counts) and a few
/// cheap .NET runtime readings, taken when scraped. A registry of its own rather than prometheus-net's default
/// one, whose event-counter and meter listeners cost CPU all the time and export names that fail promtool's lint.
/// </summary>
public static class ProcessMetrics
{
    private static readonly Lazy<CollectorRegistry> Configured = new(Create);

    public static CollectorRegistry Registry => Configured.Value;

    private static CollectorRegistry Create()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Thread pool threads.");
        var queued = factory.CreateGauge("dotnet_threadpool_queue_length", "Work items queued to the thread pool, not yet started.");
        var completed = factory.CreateCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool has completed.");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Size of the GC heap after the last collection.");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the GC heap.");
        var paused = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the GC has paused the process.");
        var contentions = factory.CreateCounter("dotnet_lock_contentions_total", "Times a thread waited for a contended monitor lock.");
        registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ThreadPool.ThreadCount);
            queued.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            paused.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            contentions.IncTo(Monitor.LockContentionCount);
        });
        return registry;
    }
}

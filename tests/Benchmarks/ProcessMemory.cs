using System.Globalization;

namespace Sched.Benchmarks;

/// <summary>What another process holds in memory, as the kernel counts it.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size (VmRSS) in MB.</summary>
    public static double RssMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();
}

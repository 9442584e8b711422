namespace Sched.EndToEnd.Support;

/// <summary>The checkout these tests were built from, and the `sched` it built.</summary>
public static class Repo
{
    /// <summary>The folder holding Scheduler.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The `sched` executable: SCHED_BIN of the test process if set, else the build output of this checkout.</summary>
    public static string SchedBinary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SCHED_BIN") is { Length: > 0 } bin)
            {
                return bin;
            }

            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(Root, "src", "Scheduler", "bin", configuration, "net10.0", "sched");
            return File.Exists(path) ? path : throw new FileNotFoundException($"sched is not built at {path}; run dotnet build Scheduler.sln", path);
        }
    }

    /// <summary>A path inside the checkout.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Scheduler.sln above {AppContext.BaseDirectory}");
    }
}

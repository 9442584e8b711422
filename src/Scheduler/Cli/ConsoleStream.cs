namespace Sched.Scheduler.Cli;

/// <summary>Prints a streaming API response line by line as it arrives, until it ends or Ctrl-C.</summary>
internal static class ConsoleStream
{
    /// <param name="format">The line to print for a line received, or null to print nothing.</param>
    public static async Task<int> PrintAsync(ClientSettings settings, string path, Func<string, string?> format, CancellationToken ct)
    {
        using var api = settings.CreateClient();
        try
        {
            await api.StreamLinesAsync(path, line =>
            {
                if (format(line) is { } text)
                {
                    Console.Out.WriteLine(text);
                    Console.Out.Flush();
                }

                return Task.CompletedTask;
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: the person stopped reading; not an error.
        }

        return 0;
    }
}

namespace Sched.Scheduler.Cli;

/// <summary>Plain aligned columns: readable on a terminal and easy to grep or cut when piped.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c?.ToString() ?? "-").ToArray());
        return this;
    }

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        Write(output, headers, widths);
        foreach (var row in _rows)
        {
            Write(output, row, widths);
        }
    }

    private static void Write(TextWriter output, string[] cells, int[] widths) =>
        output.WriteLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
}

using System.Text;
using Docker.DotNet;

namespace Sched.NodeActor.Runtime;

/// <summary>
/// Cuts the frames of a multiplexed log stream into text lines. stdout and stderr are kept apart until a line
/// ends, so a partial line on one is never glued to the other; UTF-8 split across frames decodes correctly.
/// </summary>
internal sealed class LogLineSplitter
{
    private readonly Dictionary<MultiplexedStream.TargetStream, PendingLine> _pending = [];

    public IReadOnlyList<string> Add(MultiplexedStream.TargetStream target, ReadOnlySpan<byte> bytes)
    {
        if (!_pending.TryGetValue(target, out var pending))
        {
            pending = new PendingLine();
            _pending[target] = pending;
        }

        return pending.Add(bytes);
    }

    /// <summary>The unterminated last lines, at the end of the stream.</summary>
    public IReadOnlyList<string> Flush() =>
        _pending.OrderBy(p => p.Key).Select(p => p.Value.TakeRest()).OfType<string>().ToList();

    private sealed class PendingLine
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _text = new();

        public IReadOnlyList<string> Add(ReadOnlySpan<byte> bytes)
        {
            var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            _decoder.GetChars(bytes, chars, flush: false);
            var lines = new List<string>();
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    lines.Add(Take());
                }
                else
                {
                    _text.Append(c);
                }
            }

            return lines;
        }

        public string? TakeRest() => _text.Length > 0 ? Take() : null;

        private string Take()
        {
            var line = _text.ToString().TrimEnd('\r');
            _text.Clear();
            return line;
        }
    }
}

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Finds the known name a mistyped one was probably meant to be.</summary>
public static class NearestName
{
    /// <summary>The closest candidate by edit distance (ignoring case), if it is close enough to be a typo.</summary>
    public static string? Find(string input, IEnumerable<string> candidates)
    {
        var allowed = Math.Clamp(input.Length / 3, 1, 3);
        return candidates
            .Select(candidate => (candidate, distance: EditDistance(input.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(pair => pair.distance <= allowed)
            .OrderBy(pair => pair.distance)
            .Select(pair => pair.candidate)
            .FirstOrDefault();
    }

    public static string UnknownFieldMessage(string field, IReadOnlyCollection<string> knownFields) =>
        Find(field, knownFields) is { } nearest
            ? $"unknown field '{field}'; did you mean '{nearest}'?"
            : $"unknown field '{field}'; the fields here are {string.Join(", ", knownFields)}";

    // Levenshtein distance over two rows.
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

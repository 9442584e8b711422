using System.Collections.Immutable;

namespace Sched.Scheduler.Decisions.Durability;

/// <summary>
/// Submitters waiting for their job to be safe: a submission is answered only once the job is both on this node's
/// disk and on a majority of scheduler nodes. TClient is whoever is to be answered (an actor, in the scheduler).
/// </summary>
public sealed record Confirmations<TClient>(ImmutableDictionary<string, Confirmation<TClient>> Awaiting)
{
    public static readonly Confirmations<TClient> None = new(ImmutableDictionary.Create<string, Confirmation<TClient>>(StringComparer.Ordinal));

    public bool IsAwaited(string jobId) => Awaiting.ContainsKey(jobId);

    /// <summary>A new job's submitter waits for it.</summary>
    public Confirmations<TClient> Await(string jobId, TClient client) =>
        new(Awaiting.SetItem(jobId, new Confirmation<TClient>([client], SaveRequested: false, Saved: false, Replicated: false)));

    /// <summary>A retried submission joins the wait of the first, or, if that one is already safe, is answered now.</summary>
    public (Confirmations<TClient> Next, bool AnswerNow) Join(string jobId, TClient client) =>
        Awaiting.TryGetValue(jobId, out var pending)
            ? (new(Awaiting.SetItem(jobId, pending with { Clients = pending.Clients.Add(client) })), false)
            : (this, true);

    /// <summary>Of the jobs about to be replicated, those awaited and not yet asked to be saved on this node's disk.</summary>
    public (Confirmations<TClient> Next, IReadOnlyList<string> ToSave) SaveLocally(IEnumerable<string> jobIds)
    {
        var toSave = jobIds.Where(id => Awaiting.TryGetValue(id, out var c) && !c.SaveRequested).ToList();
        var next = toSave.Aggregate(Awaiting, (awaiting, id) => awaiting.SetItem(id, awaiting[id] with { SaveRequested = true }));
        return (new(next), toSave);
    }

    public (Confirmations<TClient> Next, IReadOnlyList<Answer<TClient>> Confirmed) Saved(IEnumerable<string> jobIds) =>
        Confirm(jobIds, c => c with { Saved = true });

    public (Confirmations<TClient> Next, IReadOnlyList<Answer<TClient>> Confirmed) Replicated(IEnumerable<string> jobIds) =>
        Confirm(jobIds, c => c with { Replicated = true });

    /// <summary>A majority did not confirm in time: the waiting submitters are told their job is not yet safe, and wait no more.</summary>
    public (Confirmations<TClient> Next, IReadOnlyList<Answer<TClient>> NotConfirmed) ReplicationFailed(IEnumerable<string> jobIds)
    {
        var failed = jobIds.Where(Awaiting.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        return (new(Awaiting.RemoveRange(failed)), [.. failed.SelectMany(id => Awaiting[id].Clients.Select(c => new Answer<TClient>(id, c)))]);
    }

    /// <summary>
    /// This node's disk refused the jobs: their waiting submitters are told so now, and the jobs stay awaited without
    /// them, to be saved again; a submission retried with the same key waits for that save.
    /// </summary>
    public (Confirmations<TClient> Next, IReadOnlyList<Answer<TClient>> NotSaved) SaveFailed(IEnumerable<string> jobIds)
    {
        var failed = jobIds.Where(Awaiting.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        var next = failed.Aggregate(Awaiting, (awaiting, id) => awaiting.SetItem(id, awaiting[id] with { Clients = [], SaveRequested = false }));
        return (new(next), [.. failed.SelectMany(id => Awaiting[id].Clients.Select(c => new Answer<TClient>(id, c)))]);
    }

    private (Confirmations<TClient>, IReadOnlyList<Answer<TClient>>) Confirm(IEnumerable<string> jobIds, Func<Confirmation<TClient>, Confirmation<TClient>> change)
    {
        var awaiting = Awaiting;
        var confirmed = new List<Answer<TClient>>();
        foreach (var id in jobIds)
        {
            if (!awaiting.TryGetValue(id, out var pending))
            {
                continue;
            }

            var now = change(pending);
            if (now.Saved && now.Replicated)
            {
                awaiting = awaiting.Remove(id);
                confirmed.AddRange(now.Clients.Select(c => new Answer<TClient>(id, c)));
            }
            else
            {
                awaiting = awaiting.SetItem(id, now);
            }
        }

        return (new(awaiting), confirmed);
    }
}

/// <summary>Who waits for one job, and how far its way to safety has come.</summary>
public sealed record Confirmation<TClient>(ImmutableList<TClient> Clients, bool SaveRequested, bool Saved, bool Replicated);

/// <summary>Tell this client how this job stands.</summary>
public sealed record Answer<TClient>(string JobId, TClient Client);

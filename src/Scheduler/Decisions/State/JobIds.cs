namespace Sched.Scheduler.Decisions.State;

/// <summary>Job ids are the job's name and six hex digits: readable in container names, unique in the state.</summary>
public static class JobIds
{
    public static string New(string name, SchedulerState state, Random random)
    {
        while (true)
        {
            var id = $"{name}-{random.Next(0x1000000):x6}";
            if (state.Job(id) is null)
            {
                return id;
            }
        }
    }
}

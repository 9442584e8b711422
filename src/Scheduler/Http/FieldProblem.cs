namespace Sched.Scheduler.Http;

/// <summary>A 400 that names the field of a request body and how to fix it, as every body endpoint answers.</summary>
public static class FieldProblem
{
    public static IResult Of(string field, string fix, string title) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [fix] }, title: title, detail: $"{field}: {fix}");
}

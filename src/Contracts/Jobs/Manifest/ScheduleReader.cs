using System.Text.Json.Nodes;
using Cronos;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Reads <c>schedule</c>, <c>timeZone</c> and <c>allowOverlap</c>: when a periodic job runs.</summary>
internal static class ScheduleReader
{
    private const string Example = "schedule: \"*/15 * * * *\" (every 15 minutes) or \"0 3 * * *\" (03:00 daily)";

    public static JobSchedule? Read(ManifestSection job, FieldErrors errors)
    {
        var cron = ReadCron(job["schedule"], errors);
        var zone = ReadZone(job["timeZone"], errors);
        var allowOverlap = ManifestValues.ReadFlag(job["allowOverlap"], "allowOverlap", errors);
        if (job["schedule"] is null)
        {
            foreach (var field in new[] { "timeZone", "allowOverlap" }.Where(f => job[f] is not null))
            {
                errors.Add(field, $"applies to a periodic job only; add a schedule, e.g. {Example}, or remove {field}");
            }

            return null;
        }

        if (job["after"] is not null || job["afterAny"] is not null)
        {
            errors.Add("schedule", "cannot be combined with after or afterAny: a periodic job starts on its schedule; remove one of them");
        }

        return cron is null || zone is null ? null : new JobSchedule(cron, zone, allowOverlap);
    }

    private static string? ReadCron(JsonNode? node, FieldErrors errors)
    {
        if (node is null)
        {
            return null;
        }

        if (!ManifestValues.TryGetText(node, out var text) || string.IsNullOrWhiteSpace(text))
        {
            errors.Add("schedule", $"{ManifestValues.Describe(node)} is not a cron expression; use {Example}");
            return null;
        }

        var cron = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        try
        {
            _ = CronExpression.Parse(cron, JobSchedule.FormatOf(cron));
            return cron;
        }
        catch (CronFormatException e)
        {
            errors.Add("schedule", $"'{cron}' is not a cron expression ({Detail(e)}); use 5 fields (minute hour day month weekday), 6 with seconds first, or @hourly/@daily/@weekly, e.g. {Example}");
            return null;
        }
    }

    /// <summary>Cronos says "The given cron expression has an invalid format. Minutes: ..."; the part after the first sentence names the field.</summary>
    private static string Detail(CronFormatException e)
    {
        var message = e.Message.TrimEnd('.');
        var split = message.IndexOf(". ", StringComparison.Ordinal);
        return split < 0 ? message : message[(split + 2)..];
    }

    private static string? ReadZone(JsonNode? node, FieldErrors errors)
    {
        if (node is null)
        {
            return JobSchedule.DefaultTimeZone;
        }

        if (ManifestValues.TryGetText(node, out var text) && TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone))
        {
            return zone.Id;
        }

        errors.Add("timeZone", $"{ManifestValues.Describe(node)} is not a time zone this scheduler knows; use an IANA name, e.g. timeZone: Europe/Berlin (default UTC)");
        return null;
    }
}

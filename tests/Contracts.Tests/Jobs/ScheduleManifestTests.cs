using Sched.Contracts.Jobs;

namespace Sched.Contracts.Tests.Jobs;

/// <summary>schedule, timeZone, allowOverlap: a periodic job as the manifest gives it, and what a wrong one is told.</summary>
public class ScheduleManifestTests
{
    [Fact]
    public void A_schedule_reads_with_UTC_and_no_overlap_by_default_and_writes_back_to_the_same_spec()
    {
        var spec = Manifests.Yaml("image: x\nschedule: \"*/15  * * * *\"").Spec!;

        Assert.Equal(new JobSchedule("*/15 * * * *", "UTC", false), spec.Schedule);
        Assert.True(spec.IsPeriodic);
        Assert.Null(spec.ForOneRun().Schedule);
        JobSpecAssert.Equivalent(spec, ManifestParser.FromJson(ManifestWriter.ToJson(spec)).Spec!);
    }

    [Fact]
    public void Six_fields_count_seconds_first_and_a_time_zone_moves_the_occurrences()
    {
        var seconds = Manifests.Yaml("image: x\nschedule: \"*/20 * * * * *\"").Spec!.Schedule!;
        var berlin = Manifests.Yaml("image: x\nschedule: \"0 3 * * *\"\ntimeZone: Europe/Berlin\nallowOverlap: true").Spec!.Schedule!;
        var noon = new DateTimeOffset(2025, 1, 1, 12, 0, 5, TimeSpan.Zero);

        Assert.Equal(noon.AddSeconds(15), seconds.NextAfter(noon));
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 2, 0, 0, TimeSpan.Zero), berlin.NextAfter(noon));
        Assert.True(berlin.AllowOverlap);
    }

    [Theory]
    [InlineData("schedule: \"61 * * * *\"", "schedule", "5 fields (minute hour day month weekday)")]
    [InlineData("schedule: every minute", "schedule", "is not a cron expression")]
    [InlineData("schedule: [1]", "schedule", "a list is not a cron expression")]
    [InlineData("schedule: \"@daily\"\ntimeZone: Mars/Olympus", "timeZone", "an IANA name, e.g. timeZone: Europe/Berlin")]
    [InlineData("timeZone: Europe/Berlin", "timeZone", "applies to a periodic job only; add a schedule")]
    [InlineData("allowOverlap: true", "allowOverlap", "applies to a periodic job only")]
    [InlineData("schedule: \"@hourly\"\nallowOverlap: sometimes", "allowOverlap", "must be true or false")]
    [InlineData("schedule: \"@hourly\"\nafter: [extract-0a1b2c]", "schedule", "cannot be combined with after")]
    public void A_wrong_schedule_names_its_field_and_the_form_to_use(string lines, string field, string hint)
    {
        var result = Manifests.Yaml($"image: x\n{lines}");

        Assert.Null(result.Spec);
        Assert.Contains(hint, Assert.Single(result.Errors, e => e.Field == field).Message, StringComparison.Ordinal);
    }
}

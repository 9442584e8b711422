using Sched.NodeActor.Agent;

namespace Sched.NodeActor.Tests.Agent;

/// <summary>Where the lease lives: under systemd on tmpfs, so renewals never touch the SD card, without a gap when an agent is upgraded.</summary>
public sealed class FenceLeaseSpecs : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _data = Directory.CreateTempSubdirectory("sched-lease-data-").FullName;
    private readonly string _run = Directory.CreateTempSubdirectory("sched-lease-run-").FullName;

    public void Dispose()
    {
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_run, recursive: true);
    }

    private Func<string, string?> Systemd => name => name == "RUNTIME_DIRECTORY" ? _run : null;

    [Fact]
    public void Under_systemd_the_agent_and_the_guard_meet_in_the_runtime_directory_and_without_it_in_the_data_dir()
    {
        Assert.Equal(Path.Combine(_run, FenceLease.FileName), FenceLease.For(_data, Systemd).Path);
        Assert.Equal(Path.Combine(_data, FenceLease.FileName), FenceLease.For(_data, _ => null).Path);

        FenceLease.For(_data, Systemd).RenewUntil(Now.AddSeconds(2));

        Assert.Equal(Now.AddSeconds(2), FenceLease.For(_data, Systemd).ExpiresAt());
        Assert.False(File.Exists(Path.Combine(_data, FenceLease.FileName)));
    }

    [Fact]
    public void A_lease_an_agent_left_in_the_data_dir_before_the_move_still_holds_the_containers_until_it_runs_out()
    {
        // The agent before the upgrade held its lease ahead as it stopped; the new guard starts before the new agent renews.
        FenceLease.InDataDir(_data).RenewUntil(Now.AddSeconds(30));
        var lease = FenceLease.For(_data, Systemd);

        Assert.False(lease.HasRunOut(Now));
        Assert.True(lease.HasRunOut(Now.AddSeconds(31)));

        lease.RenewUntil(Now.AddSeconds(40));
        Assert.Equal(Now.AddSeconds(40), lease.ExpiresAt());
    }
}

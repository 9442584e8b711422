using Sched.NodeActor.Images;

namespace Sched.NodeActor.Tests.Images;

/// <summary>A node sends its share of copies of an image, then leaves the rest to the nodes it sent to.</summary>
public sealed class SendSharesSpecs
{
    private static readonly DateTime T0 = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Two_copies_of_one_image_start_in_a_minute_and_a_third_waits_until_the_first_is_a_minute_old()
    {
        var shares = new SendShares(TimeSpan.FromMinutes(1), 2);

        Assert.True(shares.TryStart("my-processor", T0));
        Assert.True(shares.TryStart("my-processor", T0.AddSeconds(1)));
        Assert.False(shares.TryStart("my-processor", T0.AddSeconds(59)));
        Assert.True(shares.TryStart("my-processor", T0.AddSeconds(60)));
    }

    [Fact]
    public void Each_image_has_its_own_share()
    {
        var shares = new SendShares(TimeSpan.FromMinutes(1), 1);

        Assert.True(shares.TryStart("my-processor", T0));
        Assert.True(shares.TryStart("reducer", T0));
        Assert.False(shares.TryStart("my-processor", T0));
    }
}

using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Images;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Images;

/// <summary>The catalog answers "who can send me this image" from what the agents reported.</summary>
public sealed class ImageCatalogSpecs
{
    private static readonly HeldImage MyProcessor = new("sha256:240d9d05598389", ["localhost/my-processor:latest"], "amd64", 2_137_088);

    [Fact]
    public void Only_nodes_that_reported_the_image_hold_it_and_are_reached_at_their_member_address_without_the_incarnation()
    {
        var nodes = Registry(3, T0).Report(Report("node2") with { MemberAddress = "akka.tcp://sched@127.0.0.1:4055#-812" }, T0);
        var catalog = ImageCatalog.Empty
            .Reported(new NodeImages("node1", [MyProcessor]))
            .Reported(new NodeImages("node2", [MyProcessor]))
            .Reported(new NodeImages("node3", []));

        var holders = catalog.HoldersOf("my-processor", nodes, InOrder);

        Assert.Equal(["node2", "node1"], holders.Select(h => h.Node));
        Assert.Equal("akka.tcp://sched@127.0.0.1:4055", holders[0].MemberAddress);
        Assert.Empty(catalog.HoldersOf("my-processor:2", nodes, InOrder));
    }

    [Fact]
    public void A_node_that_is_unreachable_is_not_offered_as_a_holder()
    {
        var nodes = Registry(2, T0).MemberChanged("akka.tcp://sched@127.0.0.1:4054", Membership.Unreachable);
        var catalog = ImageCatalog.Empty.Reported(new NodeImages("node1", [MyProcessor])).Reported(new NodeImages("node2", [MyProcessor]));

        Assert.Equal(["node2"], catalog.HoldersOf("my-processor", nodes, InOrder).Select(h => h.Node));
    }

    [Fact]
    public void A_fetch_names_as_asked_only_the_up_nodes_not_one_that_left_since_it_reported()
    {
        var nodes = Registry(3, T0).MemberChanged("akka.tcp://sched@127.0.0.1:4056", Membership.Left);
        var catalog = ImageCatalog.Empty
            .Reported(new NodeImages("node3", []))
            .Reported(new NodeImages("node2", []))
            .Reported(new NodeImages("node1", []));

        Assert.Equal(["node1", "node2"], catalog.NodesAsked(nodes).AsEnumerable());
    }

    [Fact]
    public void A_new_report_replaces_what_the_node_held_before()
    {
        var catalog = ImageCatalog.Empty.Reported(new NodeImages("node1", [MyProcessor])).Reported(new NodeImages("node1", []));

        Assert.Empty(catalog.HoldersOf("my-processor", Registry(1, T0), InOrder));
    }

    /// <summary>The image fan-out benchmark: node1 sent 4 of 6 copies while nodes that had it already were idle.</summary>
    [Fact]
    public void The_nodes_that_got_the_image_last_are_asked_first_and_a_report_that_keeps_it_does_not_make_it_newer()
    {
        var catalog = ImageCatalog.Empty
            .Reported(new NodeImages("node1", [MyProcessor]))
            .Reported(new NodeImages("node3", []))
            .Reported(new NodeImages("node2", [MyProcessor]))
            .Reported(new NodeImages("node3", [MyProcessor]))
            .Reported(new NodeImages("node1", [MyProcessor]));

        Assert.Equal(["node3", "node2", "node1"], catalog.HoldersOf("my-processor", Registry(3, T0), InOrder).Select(h => h.Node));
    }

    [Fact]
    public void An_image_removed_and_loaded_again_counts_as_newly_got()
    {
        var catalog = ImageCatalog.Empty
            .Reported(new NodeImages("node1", [MyProcessor]))
            .Reported(new NodeImages("node2", [MyProcessor]))
            .Reported(new NodeImages("node1", []))
            .Reported(new NodeImages("node1", [MyProcessor]));

        Assert.Equal(["node1", "node2"], catalog.HoldersOf("my-processor", Registry(2, T0), InOrder).Select(h => h.Node));
    }

    private static IEnumerable<ImageHolder> InOrder(IReadOnlyList<ImageHolder> holders) => holders;
}

using System.Text;
using Docker.DotNet;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

public sealed class LogLineSplitterTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Lines_split_across_frames_are_joined_and_streams_are_kept_apart()
    {
        var splitter = new LogLineSplitter();

        Assert.Empty(splitter.Add(MultiplexedStream.TargetStream.StandardOut, Bytes("hel")));
        Assert.Equal(["oops"], splitter.Add(MultiplexedStream.TargetStream.StandardError, Bytes("oops\r\npart")));
        Assert.Equal(["hello", "next"], splitter.Add(MultiplexedStream.TargetStream.StandardOut, Bytes("lo\nnext\nlast")));
        Assert.Equal(["last", "part"], splitter.Flush());
    }

    [Fact]
    public void A_character_split_between_frames_decodes_whole()
    {
        var splitter = new LogLineSplitter();
        var bytes = Bytes("grüße\n");

        Assert.Empty(splitter.Add(MultiplexedStream.TargetStream.StandardOut, bytes.AsSpan(0, 3)));
        Assert.Equal(["grüße"], splitter.Add(MultiplexedStream.TargetStream.StandardOut, bytes.AsSpan(3)));
    }
}

using System.Net;
using System.Net.Sockets;

namespace Sched.EndToEnd.Support;

/// <summary>Free TCP ports for the agents, APIs and servers the tests start.</summary>
public static class Ports
{
    /// <summary>A port free on loopback now, chosen by the kernel from its ephemeral range.</summary>
    public static int FreeLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive ports, all free on every address now: a random block between
    /// 20000 and 32000, away from the demo's 4053/4080 and from the kernel's ephemeral range, where
    /// <see cref="FreeLoopback"/> and outgoing connections take theirs.
    /// </summary>
    public static int FreeBlock(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(2_000, 3_200) * 10;
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }

        throw new InvalidOperationException($"no block of {count} free ports found between 20000 and 32000");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

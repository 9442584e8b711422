using System.Security.Cryptography;
using System.Text;

namespace Sched.Scheduler.Http.Auth;

/// <summary>The bearer token this node's HTTP API accepts, and the file it came from (named in every 401).</summary>
public sealed class ApiToken
{
    private readonly byte[] _hash;

    public ApiToken(string value, string path)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Compares digests in constant time: neither how many leading characters match nor the token's length
    /// shows in the time the answer takes.
    /// </summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}

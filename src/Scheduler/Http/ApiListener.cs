using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Sched.Scheduler.Http;

/// <summary>Where the HTTP API listens; with a certificate (and its key) it speaks HTTPS only.</summary>
public sealed record ApiListener(IPEndPoint Endpoint, X509Certificate2? Certificate = null);

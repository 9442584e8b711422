using System.Net.Http.Headers;

namespace Sched.EndToEnd.Support;

/// <summary>Sends the API token read from the agent's token file at each request: the file appears when the agent first starts.</summary>
public sealed class BearerTokenHandler(string tokenFile, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public BearerTokenHandler(string tokenFile)
        : this(tokenFile, new SocketsHttpHandler())
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (File.Exists(tokenFile))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim());
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

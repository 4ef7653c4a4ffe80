using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PromptGen.Benchmarks;

/// <summary>
/// A Kestrel server on 127.0.0.1 that answers every POST with one fixed body, so the client and the raw-HttpClient
/// baseline hit exactly the same server work.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<LoopbackServer> StartAsync(byte[] body, string contentType)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.Run(async context =>
        {
            // Drain the request body as a real service would.
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            context.Response.Headers["x-amzn-RequestId"] = "bench";
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        string address = app.Urls.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

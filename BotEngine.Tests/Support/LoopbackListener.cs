using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Support;

/// <summary>
/// A fake platform API's listener on loopback that can go offline (connections refused, as in an outage) and come
/// back on the same port, so the engine's configured base URL stays valid.
/// </summary>
public sealed class LoopbackListener(RequestDelegate handle) : IAsyncDisposable
{
    private WebApplication? _app;
    private int _port;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Stops listening: connections are refused until <see cref="GoOnlineAsync"/>.</summary>
    public async Task GoOfflineAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.DisposeAsync();
    }

    /// <summary>Listens (again, on the same port once it had one).</summary>
    public async Task GoOnlineAsync()
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _port));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(BaseUrl).Port;
        _app = app;
    }

    public async ValueTask DisposeAsync() => await GoOfflineAsync();
}

using System.Globalization;
using System.Net.Sockets;
using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotEngine.Tests.Outbound;

/// <summary>
/// Whether a failed request can have reached the platform, through the real LINE client (SocketsHttpHandler, Polly
/// pipeline) against loopback servers that refuse, fail the handshake, hang, reset or close.
/// </summary>
public sealed class TransportFailureTests : IDisposable
{
    private static readonly OutboundMessage[] Hello = [OutboundMessage.OfText("hello")];
    // Short for the servers that hang; the failures that come at once get time enough on a busy machine.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly List<IHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts) host.Dispose();
    }

    [Fact]
    public async Task Refused_connection_is_not_sent()
    {
        var outcome = await PushAsync($"http://127.0.0.1:{RawLoopbackServer.ClosedPort()}");

        Assert.Contains("ConnectionError", Assert.IsType<SendOutcome.NotSent>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Name_that_does_not_resolve_is_not_sent()
    {
        // .invalid never resolves (RFC 2606).
        var outcome = await PushAsync("http://messaging-api.invalid");

        Assert.Contains("NameResolutionError", Assert.IsType<SendOutcome.NotSent>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_tls_handshake_is_not_sent()
    {
        await using var server = new RawLoopbackServer((socket, _, _) =>
        {
            socket.Close();
            return Task.CompletedTask;
        });

        var outcome = await PushAsync($"https://127.0.0.1:{server.Port}");

        Assert.Contains("SecureConnectionError", Assert.IsType<SendOutcome.NotSent>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_during_the_tls_handshake_is_not_sent()
    {
        await using var server = new RawLoopbackServer((_, _, ct) => Task.Delay(System.Threading.Timeout.Infinite, ct));

        var outcome = await PushAsync($"https://127.0.0.1:{server.Port}", HangTimeout);

        Assert.Contains("no answer within", Assert.IsType<SendOutcome.NotSent>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_read_the_request_and_hangs_may_have_delivered_it()
    {
        await using var server = new RawLoopbackServer(async (socket, self, ct) =>
        {
            await self.ReadRequestAsync(socket, ct);
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
        });

        var outcome = await PushAsync($"http://127.0.0.1:{server.Port}", HangTimeout);

        Assert.True(server.RequestRead.IsCompleted);
        Assert.Contains("no answer within", Assert.IsType<SendOutcome.MaybeDelivered>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_read_the_request_and_reset_may_have_delivered_it()
    {
        await using var server = new RawLoopbackServer(async (socket, self, ct) =>
        {
            await self.ReadRequestAsync(socket, ct);
            RawLoopbackServer.Reset(socket);
        });

        var outcome = await PushAsync($"http://127.0.0.1:{server.Port}");

        Assert.IsType<SendOutcome.MaybeDelivered>(outcome);
    }

    [Fact]
    public async Task Server_that_read_the_request_and_closed_may_have_delivered_it()
    {
        await using var server = new RawLoopbackServer(async (socket, self, ct) =>
        {
            await self.ReadRequestAsync(socket, ct);
            socket.Shutdown(SocketShutdown.Both);
        });

        var outcome = await PushAsync($"http://127.0.0.1:{server.Port}");

        Assert.Contains("ResponseEnded", Assert.IsType<SendOutcome.MaybeDelivered>(outcome).Error, StringComparison.Ordinal);
    }

    private Task<SendOutcome> PushAsync(string baseUrl, TimeSpan? timeout = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Line:ApiBaseUrl"] = baseUrl,
            ["Channels:Line:ChannelAccessToken"] = "token",
            ["Channels:Line:RequestTimeout"] = (timeout ?? Timeout).ToString("c", CultureInfo.InvariantCulture),
        });
        builder.AddBotEngineOptions();
        builder.AddLine();
        var host = builder.Build();
        _hosts.Add(host);
        return host.Services.GetRequiredService<ILineApi>().PushAsync("U1", Hello, Guid.NewGuid(), default);
    }
}

using System.Net;
using System.Net.Sockets;

namespace BotEngine.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 (port 0) that misbehaves the way networks do: each accepted connection is handed to
/// <c>behave</c>, which may read the request and then hang, reset or close.
/// </summary>
public sealed class RawLoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _requestRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RawLoopbackServer(Func<Socket, RawLoopbackServer, CancellationToken, Task> behave)
    {
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        await behave(socket, this, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes once a whole request (headers and a JSON body) was read by <see cref="ReadRequestAsync"/>.</summary>
    public Task RequestRead => _requestRead.Task;

    /// <summary>A port nothing listens on: connecting to it is refused.</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Reads until the request's JSON body has arrived (it ends with <c>}</c>).</summary>
    public async Task ReadRequestAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var seen = new List<byte>();
        while (seen.Count == 0 || seen[^1] != (byte)'}')
        {
            var read = await socket.ReceiveAsync(buffer, ct);
            if (read == 0) return;
            seen.AddRange(buffer.AsSpan(0, read));
        }

        _requestRead.TrySetResult();
    }

    /// <summary>Closes with a TCP reset instead of an orderly close.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}

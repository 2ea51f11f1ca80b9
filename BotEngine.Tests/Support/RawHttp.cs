using System.Net.Sockets;
using System.Text;

namespace BotEngine.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for what HttpClient will not do: announce a body and send only its start,
/// or send it slowly. The answer's status line shows whether the server answered without the rest.
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(Uri baseAddress)
    {
        var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        return new RawHttp(client);
    }

    /// <summary>Sends the request line and headers (Host is added) and the first <paramref name="body"/> bytes.</summary>
    public async Task SendAsync(string method, string path, IEnumerable<string> headers, byte[] body, string host)
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await _stream.WriteAsync(body);
        await _stream.FlushAsync();
    }

    public async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>The answer's status code, read within <paramref name="timeout"/>.</summary>
    public async Task<int> ReadStatusAsync(TimeSpan timeout) => (await ReadAnswerAsync(timeout, headOnly: true)).Status;

    /// <summary>The answer's status and its text (head and body, by its Content-Length), within <paramref name="timeout"/>.</summary>
    public async Task<(int Status, string Text)> ReadAnswerAsync(TimeSpan timeout, bool headOnly = false)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end > 0 && (headOnly || text.Length >= end + 4 + ContentLength(text[..end])))
            {
                return (int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text);
            }

            var n = await _stream.ReadAsync(buffer, deadline.Token);
            if (n == 0) throw new IOException($"connection closed after {received.Length} bytes of the answer: {text}");
            received.Write(buffer, 0, n);
        }
    }

    private static int ContentLength(string head) =>
        head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

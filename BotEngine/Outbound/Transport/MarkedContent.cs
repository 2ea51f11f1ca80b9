using System.Net;
using System.Net.Http.Headers;

namespace BotEngine.Outbound.Transport;

/// <summary>
/// A request body that records whether it started to be written. SocketsHttpHandler writes the body only after the
/// connection (and its TLS handshake) is up, so a request whose body never started cannot have reached the platform:
/// a platform acts on a whole request, never on headers alone. Measured against loopback servers
/// (TransportFailureTests): refused, DNS, TLS failures and a timeout in the handshake leave it unstarted; a server that
/// reads the request and then hangs, resets or closes sees it started.
/// </summary>
internal sealed class MarkedContent : HttpContent
{
    private readonly byte[] _body;
    private int _started;

    public MarkedContent(byte[] body, string mediaType)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
    }

    /// <summary>True once the handler began writing the body to a connection.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken ct)
    {
        Interlocked.Exchange(ref _started, 1);
        await stream.WriteAsync(_body, ct);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}

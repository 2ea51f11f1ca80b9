using BotEngine.Channels;
using BotEngine.Outbound.Outage;

namespace BotEngine.Outbound.Transport;

/// <summary>
/// One HTTP attempt to a platform API, the same for every channel: the platform's answer is read into a
/// <see cref="SendOutcome"/> by the channel; an exception is classified by whether the body started to be written
/// (<see cref="TransportFailure"/>); a shutdown before the body left is not sent. Nothing is thrown for a platform's
/// answer or a transport failure.
/// </summary>
/// <param name="http">The channel's client (<see cref="PlatformClients.AddPlatformClient{TClient, TImplementation}"/>).</param>
/// <param name="channel">The channel's name, naming its circuit: a call the open circuit stopped is due when it closes.</param>
internal sealed class PlatformCall(HttpClient http, PlatformCircuits circuits, string channel)
{
    /// <param name="request">Its body a <see cref="MarkedContent"/>, so a failure tells whether it can have reached the platform.</param>
    /// <param name="what">Names the call in the outcome's error (<c>line push</c>).</param>
    /// <param name="read">Turns the platform's answer into an outcome.</param>
    /// <param name="transportFailed">Told of an outcome that a transport failure made (null: nobody is told).</param>
    public async Task<SendOutcome> SendAsync(HttpRequestMessage request, string what,
        Func<HttpResponseMessage, CancellationToken, Task<SendOutcome>> read, Action<SendOutcome>? transportFailed,
        CancellationToken ct)
    {
        if (request.Content is not MarkedContent content)
        {
            throw new ArgumentException($"A platform call's body is a {nameof(MarkedContent)}.", nameof(request));
        }

        try
        {
            // ResponseContentRead (the default) buffers the small JSON answer, so reading it cannot wait on the network.
            using var response = await http.SendAsync(request, ct);
            return await read(response, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller gave up (shutdown). Before the body left, that is certain to have sent nothing.
            if (!content.Started) return new SendOutcome.NotSent($"{what}: canceled before it was sent");
            throw;
        }
        // The message of an HttpRequestException names the host, never the path (which may hold a token).
        catch (Exception e) when (TransportFailure.Classify(e, content.Started, what,
            () => circuits.Find(channel)?.RetryAt) is { } outcome)
        {
            transportFailed?.Invoke(outcome);
            return outcome;
        }
    }
}

using System.Net.Http.Headers;

namespace BotEngine.Outbound.Transport;

/// <summary>
/// A platform's <c>Retry-After</c> as a wait. RFC 9110 §10.2.3 (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3)
/// allows two forms: delay-seconds (<c>120</c>) and an HTTP-date (<c>Fri, 31 Dec 1999 23:59:59 GMT</c>), which is
/// read against the clock; a date already past means no wait.
/// </summary>
internal static class RetryAfterHeader
{
    /// <returns>The wait the header asks for; null without the header (or with one that reads as neither form).</returns>
    public static TimeSpan? Wait(HttpResponseHeaders headers, TimeProvider clock) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}

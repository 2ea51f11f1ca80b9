using System.Globalization;
using System.Net;
using System.Text;
using BotEngine.Channels;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Messenger.Dto;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Channels.Messenger;

public sealed class MessengerErrorsTests
{
    [Theory]
    [InlineData(400, 613, null, false, "RateLimit")]
    [InlineData(403, 4, 2018022, false, "RateLimit")]
    [InlineData(400, 32, null, false, "RateLimit")]
    [InlineData(400, 80006, null, false, "RateLimit")]
    [InlineData(500, 1200, null, false, "Temporary")]
    [InlineData(500, 2, null, true, "Temporary")]
    [InlineData(400, 100, null, true, "Temporary")]
    [InlineData(503, null, null, false, "Temporary")]
    [InlineData(400, 10, 2018278, false, "OutsideWindow")]
    [InlineData(400, 100, 2018001, false, "Refused")]
    [InlineData(400, 551, 1545041, false, "Refused")]
    [InlineData(401, 190, null, false, "Refused")]
    public void Graph_error_codes_decide_not_the_http_status(
        int status, int? code, int? subcode, bool transient, string kind)
    {
        var error = code is null ? null : new GraphError("x", "OAuthException", code, subcode, transient, "t");

        Assert.Equal(kind, MessengerErrors.Classify((HttpStatusCode)status, error).ToString());
    }

    [Fact]
    public async Task A_rate_limit_waits_for_the_pages_estimated_time_to_regain_access()
    {
        using var response = Answer(400, """{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613}}""");
        response.Headers.Add("X-Business-Use-Case-Usage",
            """{"1234":[{"type":"messenger","call_count":100,"estimated_time_to_regain_access":3},{"type":"pages","estimated_time_to_regain_access":1}]}""");

        var outcome = await MessengerErrors.ToOutcomeAsync(response, TimeProvider.System, default);

        var retry = Assert.IsType<SendOutcome.RetryLater>(outcome);
        Assert.Equal(TimeSpan.FromMinutes(3), retry.After);
        Assert.Contains("(613/)", retry.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_after_wins_and_an_unreadable_body_still_gets_an_outcome()
    {
        using var throttled = Answer(429, "not json");
        throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var refused = Answer(400, "");

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<SendOutcome.RetryLater>(await MessengerErrors.ToOutcomeAsync(throttled, TimeProvider.System, default)).After);
        Assert.IsType<SendOutcome.Rejected>(await MessengerErrors.ToOutcomeAsync(refused, TimeProvider.System, default));
    }

    [Theory]
    [InlineData(90, 90)]
    [InlineData(-30, 0)] // a date already past: no wait
    public async Task Retry_after_as_an_http_date_waits_until_that_date(int secondsFromNow, int expectedSeconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 4, 0, 0, TimeSpan.Zero));
        using var throttled = Answer(429, """{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","code":613}}""");
        // On the wire: "Retry-After: Mon, 30 Nov 2026 04:01:30 GMT" (RFC 9110 §10.2.3's second form).
        throttled.Headers.TryAddWithoutValidation("Retry-After",
            clock.GetUtcNow().AddSeconds(secondsFromNow).ToString("r", CultureInfo.InvariantCulture));

        var outcome = await MessengerErrors.ToOutcomeAsync(throttled, clock, default);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Assert.IsType<SendOutcome.RetryLater>(outcome).After);
    }

    [Fact]
    public async Task The_window_refusal_names_the_24_hour_window()
    {
        using var response = Answer(400, """{"error":{"message":"(#10) This message is sent outside of allowed window.","code":10,"error_subcode":2018278}}""");

        var outcome = Assert.IsType<SendOutcome.Rejected>(await MessengerErrors.ToOutcomeAsync(response, TimeProvider.System, default));

        Assert.StartsWith("outside Messenger's 24-hour window", outcome.Error, StringComparison.Ordinal);
    }

    private static HttpResponseMessage Answer(int status, string body) => new((HttpStatusCode)status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
}

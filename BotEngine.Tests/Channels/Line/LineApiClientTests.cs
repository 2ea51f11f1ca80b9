using System.Globalization;
using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotEngine.Tests.Channels.Line;

public sealed class LineApiClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly OutboundMessage[] Hello = [OutboundMessage.OfText("hello")];
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<IHost> _hosts = [];
    private FakeLineApi _line = null!;

    public async Task InitializeAsync() => _line = await FakeLineApi.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        await _line.DisposeAsync();
    }

    [Fact]
    public async Task Reply_is_accepted_and_recorded_with_its_token_and_texts()
    {
        OutboundMessage[] two = [OutboundMessage.OfText("a"), OutboundMessage.OfText("b")];

        var outcome = await Client().ReplyAsync("token-1", two, default);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        Assert.Equal([("token-1", "a", FakeLineApi.Reply), ("token-1", "b", FakeLineApi.Reply)],
            _line.Accepted.Select(m => (m.ReplyToken, m.Text, m.Endpoint)));
        Assert.All(_line.Accepted, m => Assert.Null(m.RetryKey));
    }

    [Fact]
    public async Task Push_carries_the_retry_key_in_lowercase_D_format()
    {
        var key = Guid.NewGuid();

        var outcome = await Client().PushAsync("U123", Hello, key, default);

        Assert.IsType<SendOutcome.Accepted>(outcome);
        var message = Assert.Single(_line.Accepted);
        Assert.Equal(("U123", "hello", key.ToString("D")), (message.To, message.Text, message.RetryKey));
    }

    [Fact]
    public async Task Second_push_with_the_same_retry_key_is_accepted_and_recorded_once()
    {
        var client = Client();
        var key = Guid.NewGuid();

        await client.PushAsync("U123", Hello, key, default);
        var again = await client.PushAsync("U123", Hello, key, default);

        Assert.IsType<SendOutcome.Accepted>(again);
        Assert.Single(_line.Accepted);
        Assert.Equal(1, _line.Requests(FakeLineApi.Push, 409));
    }

    [Fact]
    public async Task Used_unknown_or_expired_reply_token_answers_InvalidReplyToken()
    {
        var client = Client();
        await client.ReplyAsync("once", Hello, default);
        _line.DeclareInvalidReplyTokens("unknown");

        var reused = await client.ReplyAsync("once", Hello, default);
        var unknown = await client.ReplyAsync("unknown", Hello, default);
        _line.ExpireReplyTokens = true;
        var expired = await client.ReplyAsync("fresh", Hello, default);

        Assert.All([reused, unknown, expired], o => Assert.IsType<SendOutcome.InvalidReplyToken>(o));
        Assert.Single(_line.Accepted);
    }

    [Fact]
    public async Task Throttled_push_answers_RetryLater_with_Retry_After_and_is_not_retried()
    {
        _line.Fail(_ => 429);
        _line.RetryAfter = TimeSpan.FromSeconds(3);

        var outcome = await Client().PushAsync("U1", Hello, Guid.NewGuid(), default);

        var later = Assert.IsType<SendOutcome.RetryLater>(outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), later.After);
        Assert.Contains("429", later.Error, StringComparison.Ordinal);
        Assert.Equal(1, _line.Requests(FakeLineApi.Push));
        Assert.Empty(_line.Accepted);
    }

    [Fact]
    public async Task Server_error_answers_RetryLater_with_LINE_message_and_no_in_process_retry()
    {
        _line.Fail(r => r.Endpoint == FakeLineApi.Reply ? 500 : null);
        var client = Client();

        var reply = await client.ReplyAsync("t", Hello, default);
        var push = await client.PushAsync("U1", Hello, Guid.NewGuid(), default);

        var later = Assert.IsType<SendOutcome.RetryLater>(reply);
        Assert.Null(later.After);
        Assert.Contains("500: Forced status 500", later.Error, StringComparison.Ordinal);
        Assert.IsType<SendOutcome.Accepted>(push);
        Assert.Equal((1, 1), (_line.Requests(FakeLineApi.Reply), _line.Requests(FakeLineApi.Push)));
    }

    [Fact]
    public async Task Invalid_body_answers_Rejected_with_the_offending_property()
    {
        var tooLong = OutboundMessage.OfText(new string('x', 5_001));

        var outcome = await Client().PushAsync("U1", [OutboundMessage.OfText("ok"), tooLong], Guid.NewGuid(), default);

        var rejected = Assert.IsType<SendOutcome.Rejected>(outcome);
        Assert.Contains("messages[1].text", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_access_token_answers_Rejected()
    {
        var outcome = await Client(token: "not-the-token").ReplyAsync("t", Hello, default);

        Assert.Contains("401", Assert.IsType<SendOutcome.Rejected>(outcome).Error, StringComparison.Ordinal);
        Assert.Equal(1, _line.Requests(FakeLineApi.Reply, 401));
    }

    [Fact]
    public async Task Answer_slower_than_the_request_timeout_is_MaybeDelivered_and_the_retry_key_makes_a_retry_safe()
    {
        var client = Client(requestTimeout: TimeSpan.FromMilliseconds(200));
        var key = Guid.NewGuid();
        _line.Latency = TimeSpan.FromSeconds(2);

        var first = await client.PushAsync("U1", Hello, key, default);
        await _line.WaitForAcceptedAsync(1, Deadline); // LINE took it although the client gave up
        _line.Latency = TimeSpan.Zero;
        var retry = await client.PushAsync("U1", Hello, key, default);

        Assert.IsType<SendOutcome.MaybeDelivered>(first);
        Assert.IsType<SendOutcome.Accepted>(retry);
        Assert.Single(_line.Accepted);
    }

    [Fact]
    public async Task Refused_connection_answers_NotSent()
    {
        var closed = await FakeLineApi.StartAsync();
        var url = closed.BaseUrl;
        await closed.DisposeAsync();

        var outcome = await Client(baseUrl: url).PushAsync("U1", Hello, Guid.NewGuid(), default);

        Assert.Contains("ConnectionError", Assert.IsType<SendOutcome.NotSent>(outcome).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multicast_reaches_every_user_once_and_a_repeated_retry_key_is_accepted()
    {
        var client = Client();
        var users = new[] { LineFixtures.NewUserId(), LineFixtures.NewUserId() };
        var key = Guid.NewGuid();
        var json = LineMessages.ToJson(Hello);

        var first = await client.MulticastAsync(users, json, key, default);
        var again = await client.MulticastAsync(users, json, key, default);

        Assert.All([first, again], o => Assert.IsType<SendOutcome.Accepted>(o));
        Assert.Equal(users, _line.Accepted.Select(m => m.To));
        Assert.Equal(1, _line.Requests(FakeLineApi.Multicast, 409));
    }

    [Fact]
    public async Task Refused_recipient_is_named_in_the_rejection()
    {
        var outcome = await Client().MulticastAsync([LineFixtures.NewUserId(), "Cgroup"], LineMessages.ToJson(Hello),
            Guid.NewGuid(), default);

        Assert.Equal("to[1]", Assert.IsType<SendOutcome.Rejected>(outcome).Property);
    }

    [Fact]
    public async Task Monthly_limit_429_is_told_apart_from_a_rate_429()
    {
        _line.QuotaLimit = 1;
        var client = Client();

        var sent = await client.PushAsync("U1", Hello, Guid.NewGuid(), default);
        var overQuota = await client.PushAsync("U2", Hello, Guid.NewGuid(), default);
        _line.Script(FakeAnswer.RateLimited);
        var throttled = await client.ReplyAsync("t", Hello, default);

        Assert.IsType<SendOutcome.Accepted>(sent);
        Assert.Contains("monthly limit", Assert.IsType<SendOutcome.QuotaExhausted>(overQuota).Error, StringComparison.Ordinal);
        Assert.IsType<SendOutcome.RetryLater>(throttled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task Message_count_outside_one_to_five_throws(int count)
    {
        var client = Client();
        var messages = Enumerable.Repeat(OutboundMessage.OfText("m"), count).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => client.ReplyAsync("t", messages, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PushAsync("U1", messages, Guid.NewGuid(), default));
        Assert.Equal(0, _line.TotalRequests);
    }

    [Fact]
    public async Task Access_token_never_appears_in_logs()
    {
        var client = Client(requestTimeout: TimeSpan.FromMilliseconds(200));
        await client.ReplyAsync("t", Hello, default);
        _line.Fail(r => r.To == "U500" ? 500 : null);
        await client.PushAsync("U500", Hello, Guid.NewGuid(), default);
        _line.Latency = TimeSpan.FromSeconds(1);
        await client.PushAsync("U1", Hello, Guid.NewGuid(), default);

        var lines = _logs.Lines;
        // The LINE client logs no headers at all: .NET's header logging hands raw values to structured loggers.
        Assert.DoesNotContain(lines, l => l.Contains(_line.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_pushes_are_each_accepted_once()
    {
        var client = Client();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => client.PushAsync($"U{i}", Hello, Guid.NewGuid(), default)));

        Assert.All(outcomes, o => Assert.IsType<SendOutcome.Accepted>(o));
        await _line.WaitForAcceptedAsync(200, Deadline);
        Assert.Equal(200, _line.Accepted.Select(m => m.To).Distinct().Count());
    }

    private ILineApi Client(TimeSpan? requestTimeout = null, string? baseUrl = null, string? token = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Line:ApiBaseUrl"] = baseUrl ?? _line.BaseUrl,
            ["Channels:Line:ChannelAccessToken"] = token ?? _line.AccessToken,
            ["Channels:Line:RequestTimeout"] =
                (requestTimeout ?? TimeSpan.FromSeconds(5)).ToString("c", CultureInfo.InvariantCulture),
        });
        builder.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddBotEngineOptions();
        builder.AddLine();
        var host = builder.Build();
        _hosts.Add(host);
        return host.Services.GetRequiredService<ILineApi>();
    }
}

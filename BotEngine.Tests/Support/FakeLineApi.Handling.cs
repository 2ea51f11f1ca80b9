using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Tests.Support;

public sealed partial class FakeLineApi
{
    private const string RetryKeyHeader = "X-Line-Retry-Key";
    private const int MaxTextLength = 5_000; // UTF-16 units, as LINE counts

    private enum Fate { Answer, Late, Reset }

    private sealed record Answer(int Status, JsonObject Body, string? AcceptedRequestId = null);

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var arrived = _clock.GetUtcNow();
        var endpoint = http.Request.Path.Value switch
        {
            "/v2/bot/message/reply" => Reply,
            "/v2/bot/message/push" => Push,
            "/v2/bot/message/multicast" => Multicast,
            "/v2/bot/message/quota" or "/v2/bot/message/quota/consumption" => Quota,
            _ => "other",
        };
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, Locked(() => _appStopping.Token));
        try
        {
            if (endpoint == Quota && HttpMethods.IsGet(http.Request.Method))
            {
                var quota = QuotaAnswer(http.Request);
                lock (_gate) _counts[(endpoint, quota.Status)] = _counts.GetValueOrDefault((endpoint, quota.Status)) + 1;
                await WriteAsync(http.Response, quota, requestId, stopping.Token);
                return;
            }

            // The body travels first; the latency plays the network and LINE's own work after it arrived.
            var body = await ReadJsonAsync(http.Request);
            var latency = Latency;
            if (latency > TimeSpan.Zero) await Task.Delay(latency, stopping.Token);

            var (answer, fate) = Decide(http.Request, endpoint, body, requestId);
            lock (_gate) _counts[(endpoint, answer.Status)] = _counts.GetValueOrDefault((endpoint, answer.Status)) + 1;
            if (fate == Fate.Answer && AmbiguousAfter is { } after && _clock.GetUtcNow() - arrived >= after
                && Parse(endpoint, body, null) is { } slow)
            {
                lock (_gate) _ambiguous.Add(new AmbiguousRequest(endpoint, slow.ReplyToken, slow.Recipients, answer.Status == 200));
            }
            if (fate == Fate.Reset)
            {
                http.Abort();
                return;
            }

            if (fate == Fate.Late) await Task.Delay(LateBy, stopping.Token);
            await WriteAsync(http.Response, answer, requestId, stopping.Token);
        }
        catch (OperationCanceledException)
            when (stopping.IsCancellationRequested || http.RequestAborted.IsCancellationRequested)
        {
            // Shutting down, or the client hung up. Cut the connection: returning would answer an empty 200.
            http.Abort();
        }
    }

    private (Answer, Fate) Decide(HttpRequest request, string endpoint, JsonNode? body, string requestId)
    {
        if (endpoint is "other" or Quota || !HttpMethods.IsPost(request.Method)) return (Error(404, "Not found"), Fate.Answer);
        if (request.Headers.Authorization != $"Bearer {AccessToken}")
        {
            return (Error(401,
                "Authentication failed. Confirm that the access token in the authorization header is valid."), Fate.Answer);
        }
        string? retryKey = request.Headers[RetryKeyHeader];
        if (retryKey is not null && endpoint == Reply)
        {
            return (Error(400, "The retry key is not supported for this API"), Fate.Answer);
        }
        if (retryKey is not null && !Guid.TryParse(retryKey, out _))
        {
            return (Error(400, "The retry key is not a valid UUID"), Fate.Answer);
        }
        if (Parse(endpoint, body, retryKey) is not { } parsed) return (BodyError(body), Fate.Answer);

        lock (_gate)
        {
            var scripted = NextScripted();
            switch (scripted)
            {
                case FakeAnswer.DropLate or FakeAnswer.Reset:
                    _ambiguous.Add(new AmbiguousRequest(endpoint, parsed.ReplyToken, parsed.Recipients, false));
                    return (Error(500, "dropped"), scripted == FakeAnswer.Reset ? Fate.Reset : Fate.Late);
                case FakeAnswer.RateLimited:
                case FakeAnswer.QuotaExceeded when endpoint == Reply:
                    return (Error(429, "Too many requests"), Fate.Answer);
                case FakeAnswer.QuotaExceeded:
                    return (Error(429, "You have reached your monthly limit."), Fate.Answer);
                case FakeAnswer.ServerError:
                    return (Error(500, "Internal server error"), Fate.Answer);
                case FakeAnswer.ExpireToken when parsed.ReplyToken is { } expiring:
                    _spentReplyTokens.Add(expiring);
                    break;
            }

            var answer = Handle(parsed, endpoint, retryKey, requestId);
            if (scripted != FakeAnswer.AcceptLate) return (answer, Fate.Answer);
            _ambiguous.Add(new AmbiguousRequest(endpoint, parsed.ReplyToken, parsed.Recipients, answer.Status == 200));
            return (answer, Fate.Late);
        }
    }

    // Caller holds _gate. LINE's own rules, after any scripted answer.
    private Answer Handle(FakeLineRequest parsed, string endpoint, string? retryKey, string requestId)
    {
        if (_failRules.Select(rule => rule(parsed)).FirstOrDefault(s => s is not null) is { } forced)
        {
            return Error(forced, forced == 400 ? "The request body has 1 error(s)" : $"Forced status {forced}");
        }
        if (_failureRate > 0 && _random.NextDouble() < _failureRate)
        {
            return _random.Next(2) == 0 ? Error(429, "Too many requests") : Error(500, "Internal server error");
        }
        if (parsed.ReplyToken is { } token
            && (_expireReplyTokens || TokenExpired(token) || !_spentReplyTokens.Add(token)))
        {
            return Error(400, "Invalid reply token");
        }
        if (endpoint == Multicast && parsed.Recipients.ToList().FindIndex(to => !IsUserId(to)) is var bad and >= 0)
        {
            var refused = Error(400, "The request body has 1 error(s)");
            if (MulticastErrorDetails)
            {
                refused.Body["details"] = new JsonArray(new JsonObject
                {
                    ["message"] = "The property, 'to', in the request body is invalid",
                    ["property"] = $"to[{bad}]",
                });
            }
            return refused;
        }
        if (retryKey is not null && _acceptedRetryKeys.TryGetValue(Guid.Parse(retryKey), out var firstId))
        {
            return Error(409, "The retry key is already accepted") with { AcceptedRequestId = firstId };
        }
        if (endpoint != Reply && _quotaLimit is { } limit && _quotaUsed + parsed.Recipients.Count > limit)
        {
            return Error(429, "You have reached your monthly limit.");
        }
        if (retryKey is not null) _acceptedRetryKeys[Guid.Parse(retryKey)] = requestId;
        if (endpoint != Reply) _quotaUsed += parsed.Recipients.Count; // billed per recipient, not per message
        return Accept(parsed, requestId);
    }

    // Caller holds _gate.
    private Answer Accept(FakeLineRequest request, string requestId)
    {
        var sent = new JsonArray();
        var recipients = request.Recipients.Count > 0 ? request.Recipients : [null!];
        for (var i = 0; i < request.Texts.Count; i++)
        {
            var id = (++_nextMessageId).ToString(CultureInfo.InvariantCulture);
            foreach (var to in recipients)
            {
                _accepted.Add(new AcceptedMessage(_accepted.Count + 1, request.Endpoint, to, request.ReplyToken,
                    request.Texts[i], request.RetryKey, requestId, _clock.GetUtcNow())
                {
                    Message = (JsonObject)request.Messages[i].DeepClone(),
                });
            }
            sent.Add(new JsonObject { ["id"] = id, ["quoteToken"] = $"q{id}" });
        }
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count > _accepted.Count) continue;
            _waiters[i].Done.TrySetResult();
            _waiters.RemoveAt(i);
        }
        return new Answer(200, request.Endpoint == Reply ? new JsonObject { ["sentMessages"] = sent } : []);
    }

    private Answer QuotaAnswer(HttpRequest request)
    {
        if (request.Headers.Authorization != $"Bearer {AccessToken}") return Error(401, "Authentication failed.");
        lock (_gate)
        {
            return request.Path.Value!.EndsWith("/consumption", StringComparison.Ordinal)
                ? new Answer(200, new JsonObject { ["totalUsage"] = _quotaUsed })
                : new Answer(200, _quotaLimit is { } limit
                    ? new JsonObject { ["type"] = "limited", ["value"] = limit }
                    : new JsonObject { ["type"] = "none" });
        }
    }

    private static FakeLineRequest? Parse(string endpoint, JsonNode? body, string? retryKey)
    {
        if (body is not JsonObject root || root["messages"] is not JsonArray { Count: >= 1 and <= 5 } messages) return null;
        if (messages.Any(m => InvalidProperty(m) is not null)) return null;
        var objects = messages.Cast<JsonObject>().ToList();
        var texts = objects.Select(ShownText).ToList();
        if (endpoint == Multicast)
        {
            if (root["to"] is not JsonArray { Count: >= 1 and <= 500 } to || to.Any(t => Text(t) is null)) return null;
            var users = to.Select(t => Text(t)!).ToList();
            return new FakeLineRequest(endpoint, users[0], null, texts, retryKey) { Messages = objects, Recipients = users };
        }
        var recipientField = endpoint == Reply ? "replyToken" : "to";
        if (Text(root[recipientField]) is not { Length: > 0 } recipient) return null;
        return endpoint == Reply
            ? new FakeLineRequest(endpoint, null, recipient, texts, retryKey) { Messages = objects }
            : new FakeLineRequest(endpoint, recipient, null, texts, retryKey) { Messages = objects, Recipients = [recipient] };
    }

    private static bool IsUserId(string id) => UserIdPattern().IsMatch(id);

    [GeneratedRegex("^U[0-9a-f]{32}$")]
    private static partial Regex UserIdPattern();

    // LINE names the first offending property; the fake is as precise as the tests need.
    private static Answer BodyError(JsonNode? body)
    {
        var property = body is JsonObject root && root["messages"] is JsonArray { Count: >= 1 and <= 5 } messages
            ? messages.Select((m, i) => (Property: InvalidProperty(m), i)).FirstOrDefault(p => p.Property is not null) is
                { Property: not null } bad
                ? $"messages[{bad.i}]" + (bad.Property.Length > 0 ? "." + bad.Property : "") : "to"
            : body is JsonObject ? "messages" : "body";
        var answer = Error(400, "The request body has 1 error(s)");
        answer.Body["details"] =
            new JsonArray(new JsonObject { ["message"] = "Invalid value", ["property"] = property });
        return answer;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Answer Error(int status, string message) => new(status, new JsonObject { ["message"] = message });

    private static async Task<JsonNode?> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task WriteAsync(HttpResponse response, Answer answer, string requestId, CancellationToken ct)
    {
        response.StatusCode = answer.Status;
        response.Headers["x-line-request-id"] = requestId;
        if (answer.AcceptedRequestId is { } accepted) response.Headers["x-line-accepted-request-id"] = accepted;
        if ((answer.Status == 429 || answer.Status >= 500) && RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        await response.WriteAsync(answer.Body.ToJsonString(), ct);
    }
}

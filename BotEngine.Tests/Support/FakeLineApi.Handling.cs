using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Tests.Support;

public sealed partial class FakeLineApi
{
    private const string RetryKeyHeader = "X-Line-Retry-Key";
    private const int MaxTextLength = 5_000; // UTF-16 units, as LINE counts

    private sealed record Answer(int Status, JsonObject Body, string? AcceptedRequestId = null);

    private async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var endpoint = http.Request.Path.Value switch
        {
            "/v2/bot/message/reply" => Reply,
            "/v2/bot/message/push" => Push,
            _ => "other",
        };
        try
        {
            // The body travels first; the latency plays the network and LINE's own work after it arrived.
            var body = await ReadJsonAsync(http.Request);
            var latency = Latency;
            if (latency > TimeSpan.Zero) await Task.Delay(latency, _stopping.Token);

            var answer = Decide(http.Request, endpoint, body, requestId);
            lock (_gate) _counts[(endpoint, answer.Status)] = _counts.GetValueOrDefault((endpoint, answer.Status)) + 1;
            await WriteAsync(http.Response, answer, requestId);
        }
        catch (OperationCanceledException)
            when (_stopping.IsCancellationRequested || http.RequestAborted.IsCancellationRequested)
        {
            // Shutting down, or the client hung up: nobody reads the answer.
        }
    }

    private Answer Decide(HttpRequest request, string endpoint, JsonNode? body, string requestId)
    {
        if (endpoint == "other" || !HttpMethods.IsPost(request.Method)) return Error(404, "Not found");
        if (request.Headers.Authorization != $"Bearer {AccessToken}")
        {
            return Error(401,
                "Authentication failed. Confirm that the access token in the authorization header is valid.");
        }
        string? retryKey = request.Headers[RetryKeyHeader];
        if (retryKey is not null && endpoint == Reply) return Error(400, "The retry key is not supported for this API");
        if (retryKey is not null && !Guid.TryParse(retryKey, out _))
        {
            return Error(400, "The retry key is not a valid UUID");
        }
        if (Parse(endpoint, body, retryKey) is not { } parsed) return BodyError(body);

        lock (_gate)
        {
            if (_failRules.Select(rule => rule(parsed)).FirstOrDefault(s => s is not null) is { } forced)
            {
                return Error(forced, forced == 400 ? "The request body has 1 error(s)" : $"Forced status {forced}");
            }
            if (_failureRate > 0 && _random.NextDouble() < _failureRate)
            {
                return _random.Next(2) == 0 ? Error(429, "Too many requests") : Error(500, "Internal server error");
            }
            if (parsed.ReplyToken is { } token && (_expireReplyTokens || !_spentReplyTokens.Add(token)))
            {
                return Error(400, "Invalid reply token");
            }
            if (retryKey is not null && _acceptedRetryKeys.TryGetValue(Guid.Parse(retryKey), out var firstId))
            {
                return Error(409, "The retry key is already accepted") with { AcceptedRequestId = firstId };
            }
            if (retryKey is not null) _acceptedRetryKeys[Guid.Parse(retryKey)] = requestId;
            return Accept(parsed, requestId);
        }
    }

    // Caller holds _gate.
    private Answer Accept(FakeLineRequest request, string requestId)
    {
        var sent = new JsonArray();
        for (var i = 0; i < request.Texts.Count; i++)
        {
            var id = (++_nextMessageId).ToString(CultureInfo.InvariantCulture);
            _accepted.Add(new AcceptedMessage(_accepted.Count + 1, request.Endpoint, request.To, request.ReplyToken,
                request.Texts[i], request.RetryKey, requestId, _clock.GetUtcNow())
            {
                Message = (JsonObject)request.Messages[i].DeepClone(),
            });
            sent.Add(new JsonObject { ["id"] = id, ["quoteToken"] = $"q{id}" });
        }
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count > _accepted.Count) continue;
            _waiters[i].Done.TrySetResult();
            _waiters.RemoveAt(i);
        }
        return new Answer(200, new JsonObject { ["sentMessages"] = sent });
    }

    private static FakeLineRequest? Parse(string endpoint, JsonNode? body, string? retryKey)
    {
        var recipientField = endpoint == Reply ? "replyToken" : "to";
        if (body is not JsonObject root || Text(root[recipientField]) is not { Length: > 0 } recipient) return null;
        if (root["messages"] is not JsonArray { Count: >= 1 and <= 5 } messages) return null;
        if (messages.Any(m => InvalidProperty(m) is not null)) return null;
        var objects = messages.Cast<JsonObject>().ToList();
        var texts = objects.Select(ShownText).ToList();
        return endpoint == Reply
            ? new FakeLineRequest(endpoint, null, recipient, texts, retryKey) { Messages = objects }
            : new FakeLineRequest(endpoint, recipient, null, texts, retryKey) { Messages = objects };
    }

    // LINE names the first offending property; the fake is as precise as the tests need.
    private static Answer BodyError(JsonNode? body)
    {
        var property = body is JsonObject root && root["messages"] is JsonArray { Count: >= 1 and <= 5 } messages
            ? messages.Select((m, i) => (Property: InvalidProperty(m), i)).First(p => p.Property is not null) is var bad
                ? $"messages[{bad.i}]" + (bad.Property!.Length > 0 ? "." + bad.Property : "") : "messages"
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

    private async Task WriteAsync(HttpResponse response, Answer answer, string requestId)
    {
        response.StatusCode = answer.Status;
        response.Headers["x-line-request-id"] = requestId;
        if (answer.AcceptedRequestId is { } accepted) response.Headers["x-line-accepted-request-id"] = accepted;
        if ((answer.Status == 429 || answer.Status >= 500) && RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        await response.WriteAsync(answer.Body.ToJsonString(), _stopping.Token);
    }
}

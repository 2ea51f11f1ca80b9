using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Tests.Channels.Messenger;

// Requests, the Send API's limits and the scripted trouble.
public sealed partial class FakeGraphApi
{
    private enum Fate { Answer, Late, Reset }

    private sealed record Answer(int Status, JsonObject Body);

    private async Task HandleAsync(HttpContext http)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, http.RequestAborted);
        try
        {
            var body = await ReadJsonAsync(http.Request);
            var (answer, fate) = Decide(http.Request, body);
            lock (_gate) _statuses[answer.Status] = _statuses.GetValueOrDefault(answer.Status) + 1;
            if (fate == Fate.Reset)
            {
                http.Abort();
                return;
            }

            if (fate == Fate.Late) await Task.Delay(LateBy, stopping.Token);
            http.Response.StatusCode = answer.Status;
            http.Response.ContentType = "application/json";
            if (answer.Body["error"]?["code"]?.GetValue<int>() == 613)
            {
                // As Meta reports a page's usage; 0 minutes keeps the tests' backoff short.
                http.Response.Headers["X-Business-Use-Case-Usage"] =
                    $$"""{"{{PageId}}":[{"type":"messenger","call_count":100,"estimated_time_to_regain_access":0}]}""";
            }

            await http.Response.WriteAsync(answer.Body.ToJsonString(), stopping.Token);
        }
        catch (OperationCanceledException)
        {
            http.Abort(); // shutting down or the client hung up: returning would answer an empty 200
        }
    }

    private (Answer, Fate) Decide(HttpRequest request, JsonNode? body)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path != $"/{Version}/me/messages")
            return (Error(404, 803, "(#803) Some of the aliases you requested do not exist"), Fate.Answer);
        if (request.Headers.Authorization != $"Bearer {PageAccessToken}")
            return (Error(400, 190, "Invalid OAuth access token."), Fate.Answer);
        if (request.Query["appsecret_proof"] != Proof)
            return (Error(400, 100, "Invalid appsecret_proof provided in the API argument"), Fate.Answer);
        if (Invalid(body) is { } problem) return (Error(400, 100, $"(#100) {problem}"), Fate.Answer);

        var root = (JsonObject)body!;
        lock (_gate)
        {
            var scripted = _script.Count > 0 ? _script.Dequeue() : FakeGraphAnswer.Accept;
            if (scripted == FakeGraphAnswer.Accept && _failureRate > 0 && _random.NextDouble() < _failureRate)
            {
                scripted = _random.Next(2) == 0 ? FakeGraphAnswer.RateLimited : FakeGraphAnswer.ServerError;
            }

            switch (scripted)
            {
                case FakeGraphAnswer.Reset:
                    return (Error(500, 2, "reset"), Fate.Reset);
                case FakeGraphAnswer.RateLimited:
                    return (Error(400, 613, "Calls to this api have exceeded the rate limit."), Fate.Answer);
                case FakeGraphAnswer.ServerError:
                    var failed = Error(500, 2, "An unexpected error has occurred. Please retry your request later.");
                    failed.Body["error"]!["is_transient"] = true;
                    return (failed, Fate.Answer);
                case FakeGraphAnswer.OutsideWindow:
                    var closed = Error(400, 10, "(#10) This message is sent outside of allowed window.");
                    closed.Body["error"]!["error_subcode"] = 2018278;
                    return (closed, Fate.Answer);
            }

            var psid = root["recipient"]!["id"]!.GetValue<string>();
            Record(psid, root["messaging_type"]!.GetValue<string>(), (JsonObject)root["message"]!);
            var accepted = new JsonObject { ["recipient_id"] = psid, ["message_id"] = $"m_fake{_sent.Count}" };
            return (new Answer(200, accepted), scripted == FakeGraphAnswer.AcceptLate ? Fate.Late : Fate.Answer);
        }
    }

    // The Send API reference's rules for what the engine sends: text ≤ 2,000 characters, quick replies ≤ 13 with
    // titles ≤ 20 and payloads ≤ 1,000, a button template with 1–3 postback buttons and text ≤ 640.
    private static string? Invalid(JsonNode? body)
    {
        if (body is not JsonObject root) return "the body must be a JSON object";
        if (Text(root["recipient"]?["id"]) is not { Length: > 0 }) return "param recipient must be non-empty";
        if (Text(root["messaging_type"]) is not ("RESPONSE" or "UPDATE" or "MESSAGE_TAG")) return "param messaging_type";
        if (root["message"] is not JsonObject message) return "param message must be an object";
        if (message["quick_replies"] is { } quick && quick is not JsonArray { Count: >= 1 and <= 13 })
            return "param message[quick_replies] must have 1 to 13 items";
        if (message["quick_replies"] is JsonArray items && items.Any(q => Text(q?["content_type"]) != "text"
            || Text(q?["title"]) is not { Length: >= 1 and <= 20 } || Text(q?["payload"]) is not { Length: >= 1 and <= 1000 }))
            return "param message[quick_replies] has an invalid item";
        if (message["attachment"] is { } attachment)
        {
            var template = attachment["payload"];
            if (Text(attachment["type"]) != "template" || Text(template?["template_type"]) != "button")
                return "param message[attachment] must be a button template";
            if (Text(template?["text"]) is not { Length: >= 1 and <= 640 }) return "param payload[text] must be 1 to 640";
            if (template?["buttons"] is not JsonArray { Count: >= 1 and <= 3 } buttons
                || buttons.Any(b => Text(b?["type"]) != "postback" || Text(b?["title"]) is not { Length: >= 1 and <= 20 }
                    || Text(b?["payload"]) is not { Length: >= 1 and <= 1000 }))
                return "param payload[buttons] must have 1 to 3 postback buttons";
            return message["text"] is null ? null : "message cannot have both text and attachment";
        }

        return Text(message["text"]) is { Length: >= 1 and <= 2000 } ? null : "param message[text] must be 1 to 2000";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Answer Error(int status, int code, string message) => new(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message, ["type"] = "OAuthException", ["code"] = code, ["fbtrace_id"] = "AfakeTraceId",
        },
    });

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
}

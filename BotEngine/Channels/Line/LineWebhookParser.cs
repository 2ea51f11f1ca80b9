using System.Text;
using System.Text.Json;

namespace BotEngine.Channels.Line;

/// <summary>
/// Splits a LINE webhook body (<c>CallbackRequest</c> in LINE's OpenAPI spec (github.com/line/line-openapi, <c>webhook.yml</c>)) into events.
/// Each event is read on its own, so a bad one is dead-lettered while its neighbours are handled.
/// </summary>
internal static class LineWebhookParser
{
    // A body that is not JSON is kept for the dead-letter view, but 64 KiB is enough to see what it was.
    private const int MaxRawPayloadBytes = 64 * 1024;

    public static ParsedBody Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = ReadDocument(body);
        }
        catch (JsonException ex)
        {
            return WholeBody(body, $"body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return WholeBody(body, "body is not a JSON object");
            if (!root.TryGetProperty("events", out var events)) return WholeBody(body, "body has no 'events' array");
            if (events.ValueKind != JsonValueKind.Array)
                return WholeBody(body, $"body property 'events' must be an array, got {LineJson.Describe(events)}");

            var count = events.GetArrayLength();
            if (count == 0) return ParsedBody.Empty; // LINE's "verify webhook URL" request
            var parsed = new List<InboundEvent>(count);
            var malformed = new List<MalformedEvent>();
            var index = 0;
            foreach (var item in events.EnumerateArray())
            {
                var (good, bad) = LineEventReader.Read(item, index++);
                if (good is not null) parsed.Add(good);
                if (bad is not null) malformed.Add(bad);
            }
            return new ParsedBody(parsed, malformed);
        }
    }

    /// <summary>
    /// Reads a stored payload again (a dead letter being retried): one event's JSON, as <see cref="Parse"/> keeps it,
    /// or a whole body that could not be split.
    /// </summary>
    public static ParsedBody ParseStored(ReadOnlySpan<byte> payload)
    {
        JsonDocument document;
        try
        {
            document = ReadDocument(payload);
        }
        catch (JsonException ex)
        {
            return WholeBody(payload, $"not JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("events", out _))
            {
                return Parse(payload);
            }

            var (good, bad) = LineEventReader.Read(document.RootElement, 0);
            return new ParsedBody(good is null ? [] : [good], bad is null ? [] : [bad]);
        }
    }

    private static JsonDocument ReadDocument(ReadOnlySpan<byte> body)
    {
        // LINE sends no BOM, but JsonDocument.Parse would accept one and Utf8JsonReader does not: skip it alike.
        if (body.StartsWith(Encoding.UTF8.Preamble)) body = body[Encoding.UTF8.Preamble.Length..];
        // Utf8JsonReader reads the span in place; JsonDocument.Parse would need the body copied into an array first.
        // No depth limit (the default is 64): parsing does not recurse and the body is at most BotEngine:MaxBodyBytes,
        // so one deeply nested event is read and dead-lettered by its own checks instead of failing its neighbours.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var document = JsonDocument.ParseValue(ref reader);
        try
        {
            // ParseValue stops after the first value; a second value or garbage after it throws JsonException here.
            if (reader.Read()) throw new JsonException("unexpected content after the JSON value");
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static ParsedBody WholeBody(ReadOnlySpan<byte> body, string error) =>
        new([], [new MalformedEvent(-1, null, RawText(body), error)]);

    private static string RawText(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxRawPayloadBytes)
        {
            // Cut before a character boundary so the kept part decodes cleanly: back off over continuation bytes.
            var cut = MaxRawPayloadBytes;
            while (cut > 0 && (body[cut] & 0xC0) == 0x80) cut--;
            body = body[..cut];
        }
        return Encoding.UTF8.GetString(body);
    }
}

using System.Text.Json;

namespace BotEngine.Channels.Line;

/// <summary>Typed reads of one webhook event's properties, failing with a message that names the property.</summary>
internal static class LineJson
{
    public static string RequiredString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Missing(path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(path, "a string", value);
    }

    public static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(path, "a string", value);
    }

    public static JsonElement RequiredObject(JsonElement parent, string name, string path) =>
        OptionalObject(parent, name, path) ?? throw Missing(path);

    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(path, "an object", value);
    }

    public static long RequiredInt64(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Missing(path);
        if (value.ValueKind != JsonValueKind.Number) throw WrongType(path, "an integer", value);
        return value.TryGetInt64(out var number) ? number : throw WrongType(path, "an integer", value);
    }

    public static LineEventException Missing(string path) => new($"missing required property '{path}'");

    public static LineEventException WrongType(string path, string expected, JsonElement value) =>
        new($"property '{path}' must be {expected}, got {Describe(value)}");

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>One event of a body cannot be understood; caught per event, so it never escapes the parser.</summary>
internal sealed class LineEventException(string message) : Exception(message);

using System.Globalization;
using BotEngine.Flows.Model;

namespace BotEngine.Flows.Reading;

/// <summary>Typed reads of <see cref="JsonItem"/>s; each problem becomes a <see cref="FlowError"/>, never an exception.</summary>
internal sealed class JsonRead(List<FlowError> errors)
{
    public List<FlowError> Errors { get; } = errors;

    public void Error(SourcePos pos, string message) => Errors.Add(new FlowError(pos, message));

    /// <summary>The object, after reporting each property not in <paramref name="allowed"/>.</summary>
    public JsonObj? Object(JsonItem? item, string what, params string[] allowed)
    {
        if (item is null) return null;
        if (item is not JsonObj obj)
        {
            Error(item.Pos, $"{what} must be an object, not {item.Describe}");
            return null;
        }
        foreach (var prop in obj.Props.Where(p => !allowed.Contains(p.Name) && p.Name != "$schema"))
        {
            Error(prop.Pos, $"unknown property '{prop.Name}' in {what} (expected one of: {string.Join(", ", allowed)})");
        }
        return obj;
    }

    public string? String(JsonObj obj, string name, string what, bool required = false)
    {
        switch (obj[name])
        {
            case null:
                if (required) Error(obj.Pos, $"{what} needs '{name}'");
                return null;
            case JsonStr { Value.Length: > 0 } s:
                return s.Value;
            case var other:
                Error(other.Pos, $"'{name}' in {what} must be a non-empty string, not {other.Describe}");
                return null;
        }
    }

    /// <summary>A string or an array of strings, as a list.</summary>
    public IReadOnlyList<string> Strings(JsonItem? item, string what)
    {
        var items = item switch
        {
            null => [],
            JsonArr a => a.Items,
            _ => [item],
        };
        var result = new List<string>();
        foreach (var value in items)
        {
            if (value is JsonStr { Value.Length: > 0 } s) result.Add(s.Value);
            else Error(value.Pos, $"{what} must be a non-empty string, not {value.Describe}");
        }
        return result;
    }

    public IReadOnlyList<JsonItem> Array(JsonItem? item, string what)
    {
        switch (item)
        {
            case null:
                return [];
            case JsonArr a:
                return a.Items;
            default:
                Error(item.Pos, $"{what} must be an array, not {item.Describe}");
                return [];
        }
    }

    public int? Integer(JsonObj obj, string name, string what)
    {
        if (obj[name] is not { } item) return null;
        if (item is JsonNum n && int.TryParse(n.Raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        Error(item.Pos, $"'{name}' in {what} must be an integer, not {item.Describe}");
        return null;
    }

    public decimal? Decimal(JsonObj obj, string name, string what)
    {
        if (obj[name] is not { } item) return null;
        if (item is JsonNum n && decimal.TryParse(n.Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }
        Error(item.Pos, $"'{name}' in {what} must be a number, not {item.Describe}");
        return null;
    }

    public bool Bool(JsonObj obj, string name, string what)
    {
        if (obj[name] is not { } item) return false;
        if (item is JsonLit { Raw: "true" or "false" } lit) return lit.Raw == "true";
        Error(item.Pos, $"'{name}' in {what} must be true or false, not {item.Describe}");
        return false;
    }

    /// <summary>A duration as <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>), at least one second.</summary>
    public TimeSpan? Duration(JsonObj obj, string name, string what)
    {
        if (String(obj, name, what, required: true) is not { } text) return null;
        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.FromSeconds(1))
        {
            return span;
        }
        Error(obj[name]!.Pos, $"'{name}' in {what} must be a duration like \"00:10:00\" of at least 1 s, not \"{text}\"");
        return null;
    }
}

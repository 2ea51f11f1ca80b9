using System.Text;
using System.Text.Json;
using BotEngine.Flows.Model;

namespace BotEngine.Flows.Reading;

/// <summary>A JSON value that remembers where it was written, so errors can name the line and column.</summary>
internal abstract record JsonItem(SourcePos Pos)
{
    public abstract string Describe { get; }
}

internal sealed record JsonObj(IReadOnlyList<JsonProp> Props, SourcePos Pos) : JsonItem(Pos)
{
    public override string Describe => "an object";

    public JsonItem? this[string name] => Props.FirstOrDefault(p => p.Name == name)?.Value;
}

internal sealed record JsonProp(string Name, JsonItem Value, SourcePos Pos);

internal sealed record JsonArr(IReadOnlyList<JsonItem> Items, SourcePos Pos) : JsonItem(Pos)
{
    public override string Describe => "an array";
}

internal sealed record JsonStr(string Value, SourcePos Pos) : JsonItem(Pos)
{
    public override string Describe => "a string";
}

internal sealed record JsonNum(string Raw, SourcePos Pos) : JsonItem(Pos)
{
    public override string Describe => $"the number {Raw}";
}

internal sealed record JsonLit(string Raw, SourcePos Pos) : JsonItem(Pos)
{
    public override string Describe => Raw;
}

/// <summary>
/// Reads a whole file into <see cref="JsonItem"/>s with positions. Comments are allowed (flows are written by hand);
/// a trailing comma is an error with its position, as in every other JSON reader the file meets (editors, the
/// schema, <c>jq</c>).
/// </summary>
internal sealed class SourceJson
{
    private readonly string _file;
    private readonly byte[] _bytes;
    private readonly List<int> _lineStarts = [0];

    private SourceJson(string file, byte[] bytes)
    {
        _file = file;
        _bytes = bytes;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') _lineStarts.Add(i + 1);
        }
    }

    /// <summary>The root value, or null with the syntax error added to <paramref name="errors"/>.</summary>
    public static JsonItem? Parse(string file, byte[] bytes, List<FlowError> errors)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var source = new SourceJson(file, bytes);
        var reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = false,
        });
        try
        {
            if (!reader.Read()) throw new JsonException("the file is empty", null, 0, 0);
            var root = source.ReadValue(ref reader, start, errors);
            if (reader.Read()) throw new JsonException("more than one JSON value", null, 0, 0);
            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            errors.Add(new FlowError(new SourcePos(file, line, column), $"JSON syntax: {Clean(e.Message)}"));
            return null;
        }
    }

    private JsonItem ReadValue(ref Utf8JsonReader reader, int shift, List<FlowError> errors)
    {
        var pos = At((int)reader.TokenStartIndex + shift);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var props = new List<JsonProp>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var keyPos = At((int)reader.TokenStartIndex + shift);
                    var name = reader.GetString()!;
                    reader.Read();
                    if (props.Any(p => p.Name == name))
                    {
                        errors.Add(new FlowError(keyPos, $"duplicate id: property '{name}' is already defined in this object"));
                    }
                    props.Add(new JsonProp(name, ReadValue(ref reader, shift, errors), keyPos));
                }
                return new JsonObj(props, pos);
            case JsonTokenType.StartArray:
                var items = new List<JsonItem>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, shift, errors));
                }
                return new JsonArr(items, pos);
            case JsonTokenType.String:
                return new JsonStr(reader.GetString()!, pos);
            case JsonTokenType.Number:
                return new JsonNum(Encoding.UTF8.GetString(reader.ValueSpan), pos);
            default:
                return new JsonLit(Encoding.UTF8.GetString(reader.ValueSpan), pos);
        }
    }

    private SourcePos At(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = Encoding.UTF8.GetCharCount(_bytes, _lineStarts[line], offset - _lineStarts[line]) + 1;
        return new SourcePos(_file, line + 1, column);
    }

    // System.Text.Json appends "LineNumber: 3 | BytePositionInLine: 7." which the position already says.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

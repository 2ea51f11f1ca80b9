using System.Text;
using CsCheck;

namespace BotEngine.Tests.Support;

/// <summary>The kinds of event a fuzzed LINE body mixes: good ones (each must be answered once) and hostile ones.</summary>
public enum EventShape
{
    Good,
    GoodWithHugeJunk,
    GoodWithDeepJunk,
    GoodTwice,
    GoodWithBadTwin,
    HugeEventId,
    BrokenUtf8,
    LoneSurrogate,
    WrongType,
    DeepText,
    UnknownEventType,
    UnknownMessageType,
    NotAnObject,
}

/// <summary>One event's shape and the numbers that vary it; ids are made fresh when it is written.</summary>
public sealed record EventPart(EventShape Shape, int Size, int Variant);

/// <summary>A fuzzed body: its events, or (<see cref="Garbage"/>) bytes that are not JSON at all.</summary>
public sealed record FuzzBody(IReadOnlyList<EventPart> Parts, bool Garbage, bool AlsoForged, byte[] Noise)
{
    public override string ToString() =>
        Garbage ? $"garbage of {Noise.Length} bytes" : string.Join(", ", Parts.Select(p => $"{p.Shape}({p.Size},{p.Variant})"))
            + (AlsoForged ? " + forged copy" : "");
}

/// <summary>Generators (CsCheck) and the writer of the JSON each shape stands for.</summary>
public static class HostileEvents
{
    public static readonly Gen<FuzzBody> Bodies =
        Gen.Select(
            Gen.Select(Gen.Int[0, Enum.GetValues<EventShape>().Length - 1], Gen.Int[1, 4_000], Gen.Int[0, 5],
                (shape, size, variant) => new EventPart((EventShape)shape, size, variant)).Array[1, 12],
            Gen.Int[0, 19], Gen.Int[0, 3], Gen.Byte.Array[1, 300],
            (parts, garbage, forged, noise) => new FuzzBody(parts, garbage == 0, forged == 0, noise));

    // Invalid UTF-8: a lead byte without its continuation, a stray continuation, bytes never used, an overlong
    // slash, a cut 4-byte sequence, an encoded surrogate.
    private static readonly byte[][] BadUtf8 =
        [[0xC3, 0x28], [0x80], [0xFF, 0xFE], [0xC0, 0xAF], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80]];

    private static readonly string[] Surrogates = ["\\ud800", "\\udfff", "x\\ud83d", "\\udc00\\ud800"];

    /// <summary>The part's JSON (one or two events) and the user that must be answered exactly once, if any.</summary>
    public static (byte[] Json, string? Answered, string? Silent) Write(EventPart part)
    {
        var user = LineFixtures.NewUserId();
        var good = LineFixtures.TextEvent(user, "count");
        return part.Shape switch
        {
            EventShape.Good => (Utf8(good), user, null),
            EventShape.GoodWithHugeJunk => (Utf8(Insert(good, $"\"junk\":\"{new string('x', part.Size * 50)}\",")), user, null),
            EventShape.GoodWithDeepJunk => (Utf8(Insert(good, $"\"junk\":{Nested(part.Size)},")), user, null),
            EventShape.GoodTwice => (Utf8(good + "," + good), user, null),
            EventShape.GoodWithBadTwin => (Utf8(good + "," + Twin(good)), user, null),
            EventShape.HugeEventId => (Utf8(LineFixtures.TextEvent(user, "count", LineFixtures.NewEventId() + new string('E', part.Size * 25))), user, null),
            EventShape.BrokenUtf8 => (Splice(LineFixtures.TextEvent(user, "@@"), BadUtf8[part.Variant % BadUtf8.Length]), null, user),
            EventShape.LoneSurrogate => (Utf8(LineFixtures.TextEvent(user, "@@")
                .Replace("@@", Surrogates[part.Variant % Surrogates.Length], StringComparison.Ordinal)), null, user),
            EventShape.WrongType => (Utf8(WrongType(good, part.Variant)), null, user),
            EventShape.DeepText => (Utf8(good.Replace("\"count\"", Nested(part.Size), StringComparison.Ordinal)), null, user),
            EventShape.UnknownEventType => (Utf8(good.Replace("\"type\":\"message\"", "\"type\":\"teleport\"", StringComparison.Ordinal)), null, user),
            EventShape.UnknownMessageType => (Utf8(good.Replace("\"type\":\"text\"", "\"type\":\"hologram\"", StringComparison.Ordinal)), null, user),
            _ => (Utf8(((string[])["42", "\"event\"", "null", "[]", "true", "{}"])[part.Variant]), null, null),
        };
    }

    /// <summary>A signed body of the parts, with the users to be answered once (and their part's shape) and those
    /// to be left unanswered.</summary>
    public static (byte[] Body, List<(string User, EventShape Shape)> Answered, List<string> Silent) Body(FuzzBody fuzz)
    {
        if (fuzz.Garbage) return ([.. "{\"events\":["u8, .. fuzz.Noise], [], []);
        var written = fuzz.Parts.Select(p => (Part: p, Written: Write(p))).Select(w => (w.Written.Json, w.Written.Answered,
            w.Written.Silent, w.Part.Shape)).ToList();
        var body = new List<byte>(Encoding.UTF8.GetBytes($"{{\"destination\":\"{LineFixtures.Destination}\",\"events\":["));
        for (var i = 0; i < written.Count; i++)
        {
            if (i > 0) body.Add((byte)',');
            body.AddRange(written[i].Json);
        }
        body.AddRange("]}"u8.ToArray());
        return ([.. body], [.. written.Where(w => w.Answered is not null).Select(w => (w.Answered!, w.Shape))],
            [.. written.Select(w => w.Silent).OfType<string>()]);
    }

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static string Insert(string eventJson, string property) => "{" + property + eventJson[1..];

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    // The same webhookEventId, without a source: malformed, and stored after the good one, so it cannot take its id.
    private static string Twin(string good) =>
        System.Text.RegularExpressions.Regex.Replace(good, "\"source\":\\{[^}]*\\},", "");

    private static string WrongType(string good, int variant) => variant switch
    {
        0 => System.Text.RegularExpressions.Regex.Replace(good, "\"timestamp\":[0-9]+", "\"timestamp\":\"yesterday\""),
        1 => System.Text.RegularExpressions.Regex.Replace(good, "\"source\":\\{[^}]*\\}", "\"source\":42"),
        2 => good.Replace("\"text\":\"count\"", "\"text\":42", StringComparison.Ordinal),
        3 => good.Replace("\"mode\":\"active\"", "\"mode\":\"passive\"", StringComparison.Ordinal),
        4 => System.Text.RegularExpressions.Regex.Replace(good, "\"webhookEventId\":\"[^\"]*\"", "\"webhookEventId\":7"),
        _ => System.Text.RegularExpressions.Regex.Replace(good, "\"message\":\\{[^}]*\\}", "\"message\":[]"),
    };

    private static byte[] Splice(string eventJson, byte[] bad)
    {
        var bytes = Utf8(eventJson);
        var at = bytes.AsSpan().IndexOf("@@"u8);
        return [.. bytes[..at], .. bad, .. bytes[(at + 2)..]];
    }
}

using System.Globalization;

namespace BotEngine.Operations;

/// <summary>A duration as a person reads it: "766 ms", "4.2 s", "2 min 5 s", "3 h 10 min", not "00:00:00.7657347".</summary>
internal static class Durations
{
    public static string Readable(TimeSpan span)
    {
        var sign = span < TimeSpan.Zero ? "-" : "";
        span = span.Duration();
        return sign + span switch
        {
            { TotalSeconds: < 1 } => $"{Math.Round(span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)} ms",
            { TotalSeconds: < 10 } => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
            { TotalMinutes: < 1 } => $"{span.Seconds} s",
            { TotalHours: < 1 } => Two(span.Minutes, "min", span.Seconds, "s"),
            { TotalDays: < 1 } => Two(span.Hours, "h", span.Minutes, "min"),
            _ => Two((int)span.TotalDays, "d", span.Hours, "h"),
        };
    }

    private static string Two(int first, string firstUnit, int second, string secondUnit) =>
        second == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{first} {firstUnit}")
            : string.Create(CultureInfo.InvariantCulture, $"{first} {firstUnit} {second} {secondUnit}");
}

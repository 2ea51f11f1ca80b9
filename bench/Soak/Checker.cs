using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

internal static partial class Checker
{
    public static int Run(Args a)
    {
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);   // user -> highest n acknowledged
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);   // reply token -> user
        foreach (var line in File.ReadLines(a.Get("--sent")))
        {
            var f = line.Split('\t');
            var n = int.Parse(f[2], CultureInfo.InvariantCulture);
            expected[f[1]] = Math.Max(expected.GetValueOrDefault(f[1]), n);
            tokens[f[3]] = f[1];
        }

        var answers = new Dictionary<string, List<int>>(StringComparer.Ordinal); // user -> #n in the order accepted
        var how = new Dictionary<(string, int), List<string>>();                  // (user, n) -> "reply", "push (late)", ...
        int unexpected = 0, total = 0, replies = 0, pushes = 0, multicast = 0;
        foreach (var line in File.Exists(a.Get("--record")) ? File.ReadLines(a.Get("--record")) : [])
        {
            var json = JsonNode.Parse(line)!;
            var user = (string?)json["to"] ?? ((string?)json["replyToken"] is { } t ? tokens.GetValueOrDefault(t) : null);
            switch ((string?)json["endpoint"])
            {
                case "reply": replies++; break;
                case "multicast": multicast++; break; // one line per recipient
                default: pushes++; break;
            }

            var copy = (string?)json["endpoint"] + ((bool?)json["late"] == true ? " (late)" : "");
            foreach (var text in json["texts"]!.AsArray().Select(x => (string?)x ?? ""))
            {
                total++;
                var match = Counter().Match(text);
                if (user is null || !expected.ContainsKey(user) || !match.Success) { unexpected++; continue; }
                var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                (answers.TryGetValue(user, out var list) ? list : answers[user] = []).Add(n);
                (how.TryGetValue((user, n), out var copies) ? copies : how[(user, n)] = []).Add(copy);
            }
        }

        int events = expected.Values.Sum(), lost = 0, doubled = 0, outOfOrder = 0;
        var problems = new List<string>();
        foreach (var (user, highest) in expected)
        {
            var got = answers.GetValueOrDefault(user) ?? [];
            var missing = Enumerable.Range(1, highest).Where(n => !got.Contains(n)).ToList();
            var twice = got.GroupBy(n => n).Where(g => g.Count() > 1).Sum(g => g.Count() - 1);
            unexpected += got.Count(n => n < 1 || n > highest);
            // Order: each #n's first answer must come after the first answers of every smaller n.
            var seen = new HashSet<int>();
            var late = 0;
            var max = 0;
            foreach (var n in got.Where(seen.Add))
            {
                if (n < max) late++;
                max = Math.Max(max, n);
            }

            (lost, doubled, outOfOrder) = (lost + missing.Count, doubled + twice, outOfOrder + late);
            if (missing.Count + twice + late > 0 && problems.Count < 10)
            {
                problems.Add($"  {user}: lost [{string.Join(',', missing.Take(8))}] doubled {twice} out of order {late}; "
                    + $"answers in order: {string.Join(',', got.Take(30))}");
            }
        }

        Console.WriteLine($"check: {events} events acknowledged, {total} answers accepted ({replies} replies, {pushes} pushes, {multicast} by multicast); "
            + $"lost {lost}, doubled {doubled}, out-of-order {outOfOrder}, unexpected {unexpected}");
        // Which deliveries a doubled answer was made of: the fault that caused it (e.g. "reply (late) + push").
        foreach (var pattern in how.Values.Where(c => c.Count > 1).GroupBy(c => string.Join(" + ", c)).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"  doubled as {pattern.Key}: {pattern.Count()}");
        }

        foreach (var problem in problems) Console.WriteLine(problem);
        return lost + doubled + outOfOrder + unexpected == 0 ? 0 : 1;
    }

    [GeneratedRegex("#([0-9]+)")]
    private static partial Regex Counter();
}

using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Dashboard;

public sealed class DashboardStatsTests : EngineTest
{
    [Fact]
    public async Task Stats_history_shows_traffic_latency_conversations_and_429s_by_endpoint()
    {
        var throttled = LineFixtures.NewUserId();
        var once = 0;
        Line.Fail(r => r.To == throttled && Interlocked.Exchange(ref once, 1) == 0 ? 429 : null);
        Start(("Dashboard:SampleInterval", "00:00:00.100"), ("Channels:Line:ReplyWindow", "00:00:00"),
            ("Channels:Line:CoalesceWindow", "00:00:00"));
        var users = Enumerable.Range(0, 5).Select(_ => LineFixtures.NewUserId()).Append(throttled).ToList();

        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "ping"))]);
        await SettledAsync();

        // Settled is seen in the file; the sample that counts the last answer may come one interval later.
        var stats = await WaitForAsync(s => Sum(s, "eventsDone") > 5.5 && Outbound(s, "push", "calls") > 6.5);
        Assert.Equal(0.1, stats.GetProperty("intervalSeconds").GetDouble(), 3);
        Assert.Equal(6, Sum(stats, "eventsDone"), 1);
        Assert.Equal(6, Sum(stats, "eventsReceived"), 1);
        Assert.Equal(1, Sum(stats, "webhooks"), 1);
        Assert.Equal(7, Outbound(stats, "push", "calls"), 1); // 6 answers + the 429
        Assert.Equal(1, Outbound(stats, "push", "throttled"), 1);
        Assert.Contains(stats.GetProperty("p99Ms").EnumerateArray(), v => v.ValueKind == JsonValueKind.Number);
        Assert.Contains(stats.GetProperty("conversations").EnumerateArray(), v => v.ValueKind == JsonValueKind.Number
            && v.GetInt32() == 6);
        var time = stats.GetProperty("time").EnumerateArray().Select(t => t.GetDouble()).ToList();
        Assert.Equal(time.Order(), time);
    }

    private Task<JsonElement> WaitForAsync(Func<JsonElement, bool> done) => Eventually.ValueAsync(
        () => App.Client.GetFromJsonAsync<JsonElement>("/admin/api/stats"), done, Deadline, "stats never showed the traffic");

    // A rate times its sample's length, summed: the count over the whole history.
    private static double Sum(JsonElement stats, string series) => Count(stats, stats.GetProperty(series));

    private static double Outbound(JsonElement stats, string endpoint, string series) =>
        stats.GetProperty("outbound").EnumerateArray()
            .Where(o => o.GetProperty("endpoint").GetString() == endpoint)
            .Sum(o => Count(stats, o.GetProperty(series)));

    private static double Count(JsonElement stats, JsonElement rates) =>
        rates.EnumerateArray().Zip(stats.GetProperty("seconds").EnumerateArray(), (r, s) => r.GetDouble() * s.GetDouble())
            .Sum();
}

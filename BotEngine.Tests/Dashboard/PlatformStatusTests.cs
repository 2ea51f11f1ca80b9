using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Dashboard;

public sealed class PlatformStatusTests : EngineTest
{
    [Fact]
    public async Task Dashboard_api_names_the_unreachable_platform_and_counts_uncertain_deliveries()
    {
        Line.LateBy = TimeSpan.FromSeconds(2);
        Line.Script(FakeAnswer.AcceptLate, FakeAnswer.RateLimited);
        Start(("Channels:Line:RequestTimeout", "00:00:01"), ("BotEngine:OutageProbeInterval", "00:00:00.500"));
        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));
        await SettledAsync();
        await Line.GoOfflineAsync();

        await PostAsync([.. Enumerable.Range(0, 6).Select(_ => LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"))]);
        await App.HealthShowsAsync("line API unreachable", Deadline);
        var status = await App.Client.GetFromJsonAsync<JsonElement>("/admin/api/platforms");

        Assert.Equal(1, status.GetProperty("uncertain").GetInt64());
        var notice = Assert.Single(status.GetProperty("notices").EnumerateArray(), n => n.GetProperty("paused").GetBoolean());
        Assert.Equal(("line", "unreachable"), (notice.GetProperty("channel").GetString(), notice.GetProperty("kind").GetString()));
        Assert.Contains("ConnectionError", notice.GetProperty("text").GetString(), StringComparison.Ordinal);
        await Line.GoOnlineAsync();
        await SettledAsync();
    }
}

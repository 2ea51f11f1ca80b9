using System.Net.Http.Headers;
using System.Text;

namespace BotEngine.Tests.Support;

public sealed class FakeLineApiTests
{
    [Fact]
    public async Task Failure_rate_is_reproducible_for_a_seed_and_failed_requests_are_not_recorded()
    {
        var first = await PushManyAsync(seed: 7, count: 60);
        var second = await PushManyAsync(seed: 7, count: 60);

        Assert.Equal(first, second);
        Assert.InRange(first.Accepted, 20, 55);
        Assert.Equal(60, first.Accepted + first.Failed);
    }

    [Fact]
    public async Task Waiting_for_more_than_was_accepted_times_out_with_a_summary()
    {
        await using var line = await FakeLineApi.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => line.WaitForAcceptedAsync(1, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("Accepted 0 messages", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Accepted, int Failed)> PushManyAsync(int seed, int count)
    {
        await using var line = await FakeLineApi.StartAsync(seed: seed);
        line.FailureRate = 0.3;
        using var http = new HttpClient { BaseAddress = new Uri(line.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", line.AccessToken);
        for (var i = 0; i < count; i++)
        {
            using var body = new StringContent($$"""{"to":"U{{i}}","messages":[{"type":"text","text":"hi"}]}""",
                Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("v2/bot/message/push", UriKind.Relative), body);
        }
        var failed = line.Requests(FakeLineApi.Push, 429) + line.Requests(FakeLineApi.Push, 500);
        return (line.Accepted.Count, failed);
    }
}

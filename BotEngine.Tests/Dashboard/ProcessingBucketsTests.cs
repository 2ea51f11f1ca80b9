using BotEngine.Channels.Line;
using BotEngine.Operations;

namespace BotEngine.Tests.Dashboard;

public sealed class ProcessingBucketsTests
{
    private static readonly double[] Bounds = [0.01, 0.1, 1];

    [Fact]
    public void Quantiles_interpolate_inside_the_bucket_like_histogram_quantile()
    {
        var buckets = new ProcessingBuckets(Bounds);
        foreach (var seconds in new[] { 0.005, 0.05, 0.05, 0.5 }) buckets.Observe(seconds);

        var counts = buckets.Read();

        Assert.Equal([1, 2, 1, 0], counts);
        Assert.Equal(0.055, buckets.Quantile(counts, 0.5)!.Value, 6); // rank 2 of 4: half-way into (0.01, 0.1]
        Assert.Equal(0.01, buckets.Quantile(counts, 0.25)!.Value, 6);
        Assert.Equal(1.0, buckets.Quantile(counts, 1)!.Value, 6);
    }

    [Fact]
    public void Quantile_is_null_without_observations_and_the_last_bound_past_it()
    {
        var buckets = new ProcessingBuckets(Bounds);
        Assert.Null(buckets.Quantile(buckets.Read(), 0.99));

        buckets.Observe(30);
        buckets.Observe(1); // an upper bound is inclusive, as in Prometheus

        Assert.Equal([0, 0, 1, 1], buckets.Read());
        Assert.Equal(1.0, buckets.Quantile(buckets.Read(), 0.99));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/v2/bot/message/reply", "reply")]
    [InlineData("https://api.line.me/v2/bot/message/push", "push")]
    [InlineData("https://proxy.example/line/v2/bot/message/multicast", "multicast")]
    [InlineData("https://api.line.me/v2/bot/profile/U0123456789abcdef0123456789abcdef", "other")]
    [InlineData("https://api.line.me/v2/bot/message/U0123/content", "other")]
    public void Outbound_calls_are_labelled_by_endpoint_never_by_user(string url, string endpoint) =>
        Assert.Equal(endpoint, LineCallLabels.Endpoint(new Uri(url)));
}

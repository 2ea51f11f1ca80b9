using System.Globalization;

namespace BotEngine.Tests.Support;

/// <summary>What an operator sees of a running engine: <c>/healthz</c> and one sample of <c>/metrics</c>.</summary>
public static class EngineProbe
{
    public static async Task<string> HealthAsync(this BotEngineApp app)
    {
        using var response = await app.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>The value of one series, like <c>botengine_line_quota_remaining</c> or <c>x{channel="line"}</c>; null when absent.</summary>
    public static async Task<double?> MetricAsync(this BotEngineApp app, string series)
    {
        var text = await app.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits (with a deadline) until <c>/healthz</c> contains <paramref name="text"/>.</summary>
    public static Task<string> HealthShowsAsync(this BotEngineApp app, string text, TimeSpan timeout) =>
        Eventually.ValueAsync(app.HealthAsync, health => health.Contains(text, StringComparison.Ordinal), timeout,
            $"/healthz never showed '{text}'");
}

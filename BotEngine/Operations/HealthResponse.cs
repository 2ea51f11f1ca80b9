using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotEngine.Operations;

/// <summary>The <c>/healthz</c> body: the status, and the reason when unhealthy ("Unhealthy: disk full: ...").</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d)).ToList();
        var text = report.Status == HealthStatus.Healthy || reasons.Count == 0
            ? report.Status.ToString()
            : $"{report.Status}: {string.Join("; ", reasons)}";
        // The cluster membership is shown also when healthy ("Healthy; cluster: 3 up (…)").
        var shown = report.Entries.Values
            .Where(e => e.Status == HealthStatus.Healthy && e.Tags.Contains(Cluster.ClusterHealthCheck.AlwaysShown) && !string.IsNullOrEmpty(e.Description))
            .Select(e => e.Description).ToList();
        if (shown.Count > 0) text += "; " + string.Join("; ", shown);
        return http.Response.WriteAsync(text, http.RequestAborted);
    }
}

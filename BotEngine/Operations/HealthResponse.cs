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
        return http.Response.WriteAsync(text, http.RequestAborted);
    }
}

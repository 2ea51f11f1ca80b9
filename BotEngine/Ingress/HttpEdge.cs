namespace BotEngine.Ingress;

/// <summary>
/// The outermost middleware: a request that breaks while its body is read (too large, too slow, cut off) gets its
/// status and one short log line, and an unexpected error a plain 500; no answer ever carries a stack trace. The
/// webhooks' fast path (<see cref="WebhookFastPath"/>) comes next, then what answers without the endpoint table
/// (<c>/healthz</c>), then routing, so each endpoint's body limit
/// (<see cref="RequestLimits"/>) is set before anything reads the body.
/// </summary>
internal static class HttpEdge
{
    public static IHostApplicationBuilder AddHttpEdge(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.Default);
        // The slim web builder has no host filtering; an AllowedHosts setting other than "*" keeps it as before.
        if (AllowedHosts(builder.Configuration) is { } hosts)
        {
            builder.Services.AddHostFiltering(filter => filter.AllowedHosts = hosts);
        }

        return builder;
    }

    private static string[]? AllowedHosts(IConfiguration configuration) =>
        configuration["AllowedHosts"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } hosts
        && !hosts.Contains("*") ? hosts : null;

    /// <param name="beforeRouting">What answers without the endpoint table (<c>/healthz</c>), between the guard and routing.</param>
    public static WebApplication UseHttpEdge(this WebApplication app, Action<WebApplication>? beforeRouting = null)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpEdge));
        if (AllowedHosts(app.Configuration) is not null) app.UseHostFiltering();
        app.Use((http, next) => GuardAsync(http, next, logger));
        app.UseWebhookFastPath();
        beforeRouting?.Invoke(app);
        app.UseRouting();
        return app;
    }

    private static async Task GuardAsync(HttpContext http, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's words are short and say what happened ("Request body too large", "...data arriving too slowly").
            logger.LogInformation("{Method} {Path} from {Client} dropped: {Status} {Reason}", http.Request.Method,
                http.Request.Path.Value, http.Connection.RemoteIpAddress?.ToString(), ex.StatusCode, ex.Message);
            await AnswerAsync(http, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "request body too large" : "bad request");
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            logger.LogDebug("{Method} {Path}: the client went away", http.Request.Method, http.Request.Path.Value);
        }
#pragma warning disable CA1031 // Any other failure is the engine's bug: logged in full here, never shown to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "{Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            await AnswerAsync(http, StatusCodes.Status500InternalServerError, "internal error; the engine's log has the details");
        }
    }

    private static async Task AnswerAsync(HttpContext http, int status, string error)
    {
        if (http.Response.HasStarted) return;
        http.Response.Clear();
        http.Response.StatusCode = status;
        try
        {
            await http.Response.WriteAsJsonAsync(new { error }, CancellationToken.None);
        }
        catch (IOException)
        {
            // The client is gone (a dropped slow client usually is): the status was all there was to say.
        }
    }
}

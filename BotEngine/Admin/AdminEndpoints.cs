using BotEngine.Queue;

namespace BotEngine.Admin;

internal static class AdminEndpoints
{
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.AddAdminAccess();
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddSingleton<DeadLetterRetry>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminAccess.Policy);
        admin.MapGet("/dead-letters", async (IDeadLetterStore store, int? limit, CancellationToken ct) =>
            Results.Ok(await store.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)));
        admin.MapPost("/dead-letters/{id:long}/retry", async (long id, IDeadLetterStore store, QueueSignals signals,
            ILogger<DeadLetterStore> logger) =>
        {
            var retried = await store.RetryAsync(id, CancellationToken.None);
            if (!retried.Found)
            {
                return Results.NotFound(new { error = $"no dead-lettered event with id {id}" });
            }

            if (!retried.Requeued)
            {
                logger.LogWarning("Dead letter {Id} stays dead: {Error}", id, retried.Error);
                return Results.UnprocessableEntity(new { id, state = "dead", error = retried.Error });
            }

            logger.LogInformation("Dead letter {Id} is pending again", id);
            signals.EventsReady.Set();
            return Results.Ok(new { id, state = "pending" });
        });
        admin.MapPost("/conversations/{key}/reset", ResetEndpoint.ResetAsync);
        return app;
    }
}

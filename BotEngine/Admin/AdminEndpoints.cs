using BotEngine.Queue;

namespace BotEngine.Admin;

internal static class AdminEndpoints
{
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.AddAdminAccess();
        builder.Services.AddSingleton<DeadLetterStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(AdminAccess.Policy);
        admin.MapGet("/dead-letters", async (DeadLetterStore store, int? limit, CancellationToken ct) =>
            Results.Ok(await store.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)));
        admin.MapPost("/dead-letters/{id:long}/retry", async (long id, EventStore events, QueueSignals signals) =>
        {
            if (!await events.RequeueDeadAsync(id, CancellationToken.None))
            {
                return Results.NotFound(new { error = $"no dead-lettered event with id {id}" });
            }

            signals.EventsReady.Set();
            return Results.Ok(new { id, state = "pending" });
        });
        return app;
    }
}

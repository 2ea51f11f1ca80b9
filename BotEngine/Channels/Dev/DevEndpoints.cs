using System.Globalization;
using System.Text.Json;
using BotEngine.Admin;
using BotEngine.Conversations;
using BotEngine.Flows.Runtime;
using BotEngine.Ingress;
using BotEngine.Outbound;
using BotEngine.Queue;
using Microsoft.AspNetCore.Http.Features;

namespace BotEngine.Channels.Dev;

/// <summary>
/// The dev channel, always on: the chat page at <c>/dev</c> and its API. A message posted here is stored like a
/// webhook body and goes through the same queue, actors and delivery as LINE; answers come back by server-sent events.
/// The page's own files hold no data and are served to anyone; every <c>/dev/api</c> call needs loopback or
/// <c>Admin:Token</c> (<see cref="AdminAccess"/>).
/// </summary>
internal static class DevEndpoints
{
    public const int MaxTextLength = 5000;

    public static IHostApplicationBuilder AddDevChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IChannel, DevChannel>();
        builder.Services.AddSingleton<DevHub>();
        builder.Services.AddSingleton(new AdminPage("/dev", "dev chat", "/dev/api"));
        builder.Services.AddSingleton<IChannelDelivery, DevDelivery>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDevChannel(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev", () => DevPage.Serve("index.html"));
        // Plain routes, one per file: a regex route constraint needs the full routing services and builds its Regex
        // while the first request builds the endpoint table (the engine starts from the slim builder).
        app.MapGet("/dev/dev.css", () => DevPage.Serve("dev.css"));
        app.MapGet("/dev/dev.js", () => DevPage.Serve("dev.js"));

        var api = app.MapGroup("/dev/api").RequireAuthorization(AdminAccess.Policy);
        api.MapPost("/messages", PostAsync);
        api.MapGet("/stream", StreamAsync);
        api.MapGet("/conversations/{user}", GetConversationAsync);
        return app;
    }

    /// <summary>What the page posts: a typed <c>text</c>, or a button's postback <c>data</c> (shown as its <c>label</c>).</summary>
    internal sealed record DevMessage(string? User, string? Text, string? Data, string? Label);

    private static async Task<IResult> PostAsync(
        HttpRequest request, IInboxStore inbox, QueueSignals signals, IngressGate gate, DevHub hub, TimeProvider clock,
        ILoggerFactory loggers)
    {
        if (await ReadMessageAsync(request) is not { } message)
        {
            return Results.BadRequest(new { error = "the body must be JSON: {\"user\": \"…\", \"text\": \"…\"} or {\"user\": \"…\", \"data\": \"…\"}" });
        }

        if (!DevUsers.IsValid(message.User))
        {
            return Results.BadRequest(new { error = $"user: 1 to {DevUsers.MaxLength} letters, digits, '-', '_' or '.'" });
        }

        if (string.IsNullOrEmpty(message.Text) == string.IsNullOrEmpty(message.Data)
            || (message.Text?.Length ?? 0) > MaxTextLength || (message.Data?.Length ?? 0) > MaxTextLength)
        {
            return Results.BadRequest(new { error = $"give either text or data, at most {MaxTextLength} characters" });
        }

        if (!gate.IsOpen)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var user = message.User!;
        var inbound = new DevInbound(
            Guid.NewGuid().ToString("N"), user, message.Text, message.Data, clock.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            await inbox.AppendAsync(DevChannel.Id, JsonSerializer.SerializeToUtf8Bytes(inbound, DevJson.Options),
                CancellationToken.None);
        }
#pragma warning disable CA1031 // Whatever failed the write, the page shows "try again".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            loggers.CreateLogger(typeof(DevEndpoints)).LogError(ex, "Could not store a dev message");
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        signals.BodiesStored.Set();
        hub.Publish(user, DevEntry.FromUser, message.Text ?? message.Label ?? message.Data!, message.Data);
        return Results.Accepted(value: new { eventId = inbound.EventId });
    }

    // Read here rather than bound by the framework, whose refusal of a body that is not JSON is an empty 400.
    private static async Task<DevMessage?> ReadMessageAsync(HttpRequest request)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<DevMessage>(request.Body, DevJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Written by hand rather than with TypedResults.ServerSentEvents: the headers must go out at once, before the
    // first line, or a page (and a test) waiting for the stream to open waits for the bot's first answer.
    private static async Task StreamAsync(string? user, DevHub hub, IHostApplicationLifetime lifetime, HttpContext http)
    {
        if (!DevUsers.IsValid(user))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "user is missing or not a valid name" });
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await http.Response.Body.FlushAsync(end.Token);
            await foreach (var entry in hub.SubscribeAsync(user!, end.Token))
            {
                var line = $"id: {entry.Seq.ToString(CultureInfo.InvariantCulture)}\ndata: {JsonSerializer.Serialize(entry, DevJson.Options)}\n\n";
                await http.Response.WriteAsync(line, end.Token);
                await http.Response.Body.FlushAsync(end.Token);
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The page went away or the engine is stopping: the stream just ends.
        }
    }

    private static async Task<IResult> GetConversationAsync(
        string user, IConversations conversations, ITimerStore timers, IBot bot, CancellationToken ct)
    {
        if (!DevUsers.IsValid(user))
        {
            return Results.BadRequest(new { error = "not a valid user name" });
        }

        var key = new ConversationKey(DevChannel.Id, user);
        var view = await conversations.GetAsync(key, ct);
        var pending = (await timers.ListAsync(key.Lane, ct)).Select(t => new { name = t.Name, dueAt = t.DueAt });
        return Results.Json(new { user, step = ShownStep(view, bot), variables = view.Variables, timers = pending },
            DevJson.Options);
    }

    // A conversation that never ran is at the runtime's placeholder step; its first message starts the flow's own.
    private static string ShownStep(ConversationView view, IBot bot) =>
        view.Step == BotState.StartStep && bot is FlowBot flow && !view.Variables.ContainsKey(FlowBot.FlowIdVariable)
            ? flow.Flow.Start
            : view.Step;
}

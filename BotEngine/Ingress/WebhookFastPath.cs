using BotEngine.Channels;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace BotEngine.Ingress;

/// <summary>One channel's webhook while the channel is on: its id and how a request proves it is the platform's.</summary>
internal sealed record WebhookHook(Channel Channel, WebhookCheck Check);

/// <summary>The webhooks of the channels that are on, by name (<see cref="IChannel.Webhook"/>), asked at the first request.</summary>
internal sealed class WebhookHooks(ChannelSet channels, IServiceProvider services)
{
    private readonly Lazy<Dictionary<string, WebhookHook>> _byName = new(() => channels.All
        .Select(c => c.Webhook(services) is { } check ? new WebhookHook(c.Id, check) : null)
        .OfType<WebhookHook>()
        .ToDictionary(h => h.Channel.Name, StringComparer.Ordinal));

    public WebhookHook? Find(string name) => _byName.Value.GetValueOrDefault(name);

    public WebhookHook? Find(ReadOnlySpan<char> name) =>
        _byName.Value.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var hook) ? hook : null;
}

/// <summary>
/// <c>POST /webhooks/{name}</c> of a channel that is on, answered before routing and the admin middleware. That path
/// is the engine's hottest and needs none of them: the webhooks are anonymous (their signature is the check), and
/// the authentication handlers, the authorization policy, the endpoint's service scope and its result object cost
/// more CPU than the append itself at 1 KB (BENCHMARKS.md, ingest). The answer is the same as the mapped endpoint's
/// (<see cref="WebhookEndpoints.MapWebhook"/>), which takes every other request to the webhooks.
/// </summary>
internal static class WebhookFastPath
{
    private const string Prefix = "/webhooks/";

    public static IApplicationBuilder UseWebhookFastPath(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        if (services.GetService<WebhookHooks>() is not { } hooks) return app; // a host without the ingress (tests of the edge)
        // Resolved at the first webhook, not while the pipeline is built: nothing of the queue starts earlier for it.
        var ingress = new Lazy<WebhookEndpoints.Ingress>(services.GetRequiredService<WebhookEndpoints.Ingress>);
        var options = services.GetRequiredService<IOptions<BotEngineOptions>>();
        app.Use((http, next) => HttpMethods.IsPost(http.Request.Method) && Hook(http.Request.Path, hooks) is { } hook
            ? AnswerAsync(http, hook, ingress.Value, options.Value.MaxBodyBytes)
            : next(http));
        return app;
    }

    private static WebhookHook? Hook(PathString path, WebhookHooks hooks)
    {
        var value = path.Value;
        return value is not null && value.StartsWith(Prefix, StringComparison.Ordinal)
            ? hooks.Find(value.AsSpan(Prefix.Length))
            : null;
    }

    private static Task AnswerAsync(HttpContext http, WebhookHook hook, WebhookEndpoints.Ingress ingress, long maxBodyBytes)
    {
        // What routing does for the mapped endpoint (RequestLimits): Kestrel stops a longer body with a 413.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBodyBytes;
        }

        return ingress.AnswerAsync(hook, http);
    }
}

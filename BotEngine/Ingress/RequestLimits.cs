using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace BotEngine.Ingress;

/// <summary>
/// How large a request body each endpoint takes. Kestrel's own limit is the small <see cref="Default"/>; an endpoint
/// that needs more (the webhooks) or less (the sign-in form) says so in its metadata, which the routing middleware
/// applies to the request before any middleware or endpoint reads the body. Over the limit, reading throws and the
/// answer is 413 (<see cref="HttpEdge"/>).
/// </summary>
internal static class RequestLimits
{
    /// <summary>Every endpoint without its own limit (admin and dev APIs, unknown paths): a dev message of 5,000
    /// characters is at most 15 KB of UTF-8, 30 KB escaped as <c>\uXXXX</c>.</summary>
    public const long Default = 32 * 1024;

    /// <summary>The sign-in form holds one token.</summary>
    public const long SignIn = 4 * 1024;

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>The webhooks take up to <c>BotEngine:MaxBodyBytes</c>, read when the first request comes (so a bad
    /// value is reported by the start-up validation, not while mapping).</summary>
    public static TBuilder WithWebhookBodyLimit<TBuilder>(this TBuilder builder, IServiceProvider services)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new WebhookBodyLimit(services.GetRequiredService<IOptions<BotEngineOptions>>()));

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    private sealed class WebhookBodyLimit(IOptions<BotEngineOptions> options) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => options.Value.MaxBodyBytes;
    }
}

namespace BotEngine.Channels;

/// <summary>
/// Whether a webhook request is its platform's: the signature over the raw body, or the secret header. Runs on the
/// request path before anything is stored, for every webhook, so it should allocate nothing.
/// </summary>
internal delegate bool WebhookCheck(HttpRequest request, ReadOnlySpan<byte> body);

namespace BotEngine.Admin;

/// <summary>
/// A page outside <c>/admin</c> that shows conversations, registered by the channel that serves it: its API
/// (<paramref name="ApiPath"/> and below) falls under the admin rule as <c>/admin</c> does, and signing in at
/// <c>/admin</c> may return to <paramref name="Path"/>, a form titled <paramref name="Title"/>.
/// </summary>
internal sealed record AdminPage(string Path, string Title, string ApiPath);

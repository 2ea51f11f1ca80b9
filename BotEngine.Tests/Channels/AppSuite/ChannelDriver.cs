using System.Net;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

/// <summary>How a webhook is forged in <see cref="ChannelDriver.PostAsync"/>.</summary>
public enum Forgery
{
    /// <summary>Signed as the platform signs it.</summary>
    None,

    /// <summary>Signed with another secret (or, for a plain shared secret, another value).</summary>
    WrongSecret,

    /// <summary>No signature header at all.</summary>
    NoSignature,
}

/// <summary>
/// One channel as the shared app-level suite (<see cref="ChannelAppSuite"/>) drives it: how its platform posts text
/// events for a user, how it redelivers them, what its fake API accepted for each user, and the fake's trouble knobs.
/// Each channel's semantics that differ from the others are stated in its driver.
/// </summary>
public abstract class ChannelDriver : IAsyncDisposable
{
    /// <summary>The channel's name as health and metrics show it (<c>line</c>, <c>telegram</c>, <c>messenger</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The engine's settings that connect this channel to its fake API.</summary>
    public abstract IReadOnlyList<(string Key, string Value)> Settings { get; }

    /// <summary>How long the slowest case may take to settle on this channel.</summary>
    public virtual TimeSpan Deadline => TimeSpan.FromSeconds(30);

    /// <summary>True when a send whose answer was lost is sent again (no idempotency key): after a kill -9 the send
    /// in flight may show twice. Otherwise such a send is counted uncertain and never sent again: it may be missing.</summary>
    public virtual bool ResendsAnAmbiguousSend => false;

    public abstract string NewUser();

    /// <summary>The request bodies the platform posts for these text events, in order, each event with a fresh id.</summary>
    public abstract IReadOnlyList<byte[]> Bodies(IReadOnlyList<(string User, string Text)> events);

    /// <summary>The same body as the platform sends it again (same event ids).</summary>
    public virtual byte[] Redelivered(byte[] body) => body;

    /// <summary>Posts one body to the channel's webhook on <paramref name="client"/>'s engine.</summary>
    public abstract Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body, Forgery forgery = Forgery.None);

    /// <summary>The texts the fake API accepted for <paramref name="user"/>, in the order it accepted them.</summary>
    public abstract IReadOnlyList<string> AnswersTo(string user, QueueFile queue);

    /// <summary>Every message the fake API accepted.</summary>
    public abstract int AnswerCount { get; }

    /// <summary>Fraction (0..1) of sends the fake refuses with a rate limit or a server error.</summary>
    public abstract double FailureRate { set; }

    /// <summary>True once the fake refused sends with both a rate limit and a server error.</summary>
    public abstract bool SawRateLimitsAndServerErrors { get; }

    /// <summary>Stops listening: connections to the fake API are refused.</summary>
    public abstract Task GoOfflineAsync();

    public abstract Task GoOnlineAsync();

    public Task WaitForAnswersAsync(int count) =>
        Eventually.TrueAsync(() => AnswerCount >= count, Deadline, $"{count} answers accepted by the fake {Name} API");

    public abstract ValueTask DisposeAsync();
}

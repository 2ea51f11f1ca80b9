using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BotEngine;

/// <summary>The engine's own settings (section <c>BotEngine</c>).</summary>
public sealed class BotEngineOptions
{
    public const string Section = "BotEngine";

    /// <summary>Folder for every SQLite file; a relative path is resolved against the working directory.</summary>
    [Required] public string DataDirectory { get; set; } = "data";

    /// <summary>Largest webhook body accepted; larger ones get 413 and are not stored.</summary>
    [Range(1024, 64 * 1024 * 1024)] public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Attempts before an event goes to the dead-letter state.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// SQLite <c>synchronous</c> for the queue file in WAL mode. <c>Full</c>: a 200 survives a power loss.
    /// <c>Normal</c>: a 200 survives a process crash (<c>kill -9</c>) but the last commits may roll back on power loss.
    /// </summary>
    public Durability Durability { get; set; } = Durability.Full;

    /// <summary>First backoff step after a failed attempt; doubles with jitter up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")] public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")] public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed event stays invisible to other claims; a crashed claim is retried after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for a conversation actor's answer to one event.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")] public TimeSpan ConversationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An idle conversation actor is stopped after this; its state stays in the journal.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")] public TimeSpan ConversationIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Events handled at once across all conversations (one per conversation at most). An event holds its
    /// slot from the claim through the conversation, the send and the outcome, so LINE's 2,000 requests/s need about
    /// 2,000 × that time in flight: at an API answering in 200 ms, 512 slots capped the sends near 1,900/s (a
    /// 5,000-reply burst: 3.1–3.3 s), 1,024 reach LINE's limit (2.9–3.0 s) and leave room for slower answers.</summary>
    [Range(1, 100_000)] public int MaxInFlight { get; set; } = 1024;

    /// <summary>Done events and split bodies are kept this long (at least 24 h for deduplication), then purged.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Dead-lettered events are kept this long after their last attempt was scheduled, then purged.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")] public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// <c>Akka</c>: the conversations (persistent actors). <c>NoOp</c> is a benchmark baseline, not for production: every
    /// event is answered with one fixed text and nothing is remembered (bench/run.sh).
    /// </summary>
    public ConversationRuntime Conversations { get; set; } = ConversationRuntime.Akka;

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}

public enum ConversationRuntime
{
    Akka,
    NoOp,
}

public enum Durability
{
    Full,
    Normal,
}

[OptionsValidator]
internal sealed partial class BotEngineOptionsValidator : IValidateOptions<BotEngineOptions>;

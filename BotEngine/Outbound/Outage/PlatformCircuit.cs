using System.Net;
using BotEngine.Outbound.Transport;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace BotEngine.Outbound.Outage;

/// <summary>
/// One platform's circuit: Polly's circuit breaker in the platform client's resilience pipeline does the counting,
/// the breaking and the half-open probe; this mirrors its state for the delivery worker (which then claims none of the
/// platform's events, or one to probe), health, metrics and the dashboard.
/// </summary>
internal sealed class PlatformCircuit(string channel, TimeProvider clock, ILogger logger)
{
    private const double FailureRatio = 0.9;
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private CircuitState _state = CircuitState.Closed;
    private DateTimeOffset? _since;
    private DateTimeOffset _retryAt;
    private TimeSpan _probeInterval = TimeSpan.FromSeconds(5);
    private string? _lastFailure;

    public string Channel { get; } = channel;

    public bool IsClosed => Locked(() => _state == CircuitState.Closed);

    /// <summary>When the next probe may go; null while closed (or not yet known: Polly raises before its callback).</summary>
    public DateTimeOffset? RetryAt => Locked(() => _state == CircuitState.Closed || _retryAt == default
        ? (DateTimeOffset?)null : _retryAt);

    public event Action<bool>? ReachableChanged;

    /// <summary>
    /// What the worker may claim now: every event (closed), none (open, or a probe in flight), or one, the probe,
    /// once the break is over; claiming it pushes the next probe one interval out, so a probe that makes no call
    /// (an event without an answer) does not let the others through.
    /// </summary>
    public int ClaimLimit(int wanted)
    {
        lock (_gate)
        {
            if (_state == CircuitState.Closed) return wanted;
            if (_state != CircuitState.Open || clock.GetUtcNow() < _retryAt) return 0;
            _retryAt = clock.GetUtcNow() + _probeInterval;
            return Math.Min(wanted, 1);
        }
    }

    public PlatformNotice? Notice() => Locked(() => _state == CircuitState.Closed ? null : new PlatformNotice(Channel,
        "unreachable", true, $"{Channel} API unreachable: sending paused, probing every {_probeInterval.TotalSeconds:0.#} s"
            + (_lastFailure is null ? "" : $" (last failure: {_lastFailure})"), _since));

    /// <summary>Adds the breaker, before the attempt timeout so that timeouts count as failures.</summary>
    public void AddTo(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OutageOptions options)
    {
        _probeInterval = options.OutageProbeInterval;
        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = $"{Channel}-outage",
            FailureRatio = FailureRatio,
            MinimumThroughput = options.OutageFailureThreshold,
            SamplingDuration = SamplingDuration,
            BreakDuration = options.OutageProbeInterval,
            ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            OnOpened = args =>
            {
                Opened(args.BreakDuration, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                Locked(() => _state = CircuitState.HalfOpen);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                Closed();
                return ValueTask.CompletedTask;
            },
        });
    }

    // Unreachable, hung or failing: not a 429 (the platform works and asks us to slow down) nor another 4xx.
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: OperationCanceledException } => false, // the caller gave up (shutdown): says nothing of the API
        { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
        { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception is { } e
        ? TransportFailure.Describe(e)
        : $"HTTP {(int?)outcome.Result?.StatusCode}";

    private void Opened(TimeSpan breakDuration, string failure)
    {
        bool wasClosed;
        lock (_gate)
        {
            wasClosed = _state == CircuitState.Closed;
            _state = CircuitState.Open;
            _since ??= clock.GetUtcNow();
            _retryAt = clock.GetUtcNow() + breakDuration;
            _lastFailure = failure;
        }

        if (!wasClosed) return;
        logger.LogWarning("{Channel} API unreachable ({Failure}): sending paused, a probe every {Interval}",
            Channel, failure, breakDuration);
        ReachableChanged?.Invoke(false);
    }

    private void Closed()
    {
        DateTimeOffset? since;
        lock (_gate)
        {
            since = _since;
            _state = CircuitState.Closed;
            _since = null;
            _lastFailure = null;
        }

        logger.LogWarning("{Channel} API reachable again after {Outage}: sending resumes", Channel,
            since is { } s ? clock.GetUtcNow() - s : TimeSpan.Zero);
        ReachableChanged?.Invoke(true);
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate) return read();
    }
}

using BotEngine.Outbound;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>One event waiting in a batch; its lane stays claimed until <see cref="Result"/> is set.</summary>
internal sealed class BatchMember(QueuedEvent queued)
{
    public QueuedEvent Event { get; } = queued;

    public TaskCompletionSource<DeliveryResult> Result { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The send planner: gathers identical answers (the same LINE message JSON) to different users into one multicast.
/// A gathering is sealed when it holds 500 users (LINE's limit), when no identical answer came for
/// <see cref="LineOptions.CoalesceWindow"/> and the worker handles no other event (none that could still produce one:
/// under a burst a slow producer otherwise seals half-empty batches at every pause), when its first answer has waited
/// <see cref="LineOptions.CoalesceMaxWait"/>, or when the engine stops; <see cref="LineBatchSender"/> then stores it (composition and retry key) and sends it.
/// An event whose batch is already stored (a retry, a restart) rejoins that batch: it goes out again as stored.
/// </summary>
internal sealed class LineBatcher : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Gathering> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<BatchMember>> _rejoining = [];
    private readonly LineBatchSender _sender;
    private readonly LineQuota _quota;
    private readonly DeliveryLoad _load;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly TimeSpan _maxWait;
    private readonly CancellationTokenRegistration _stopping;
    private bool _stopped;

    public LineBatcher(LineBatchSender sender, LineQuota quota, DeliveryLoad load, IOptions<LineOptions> options,
        TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        _sender = sender;
        _quota = quota;
        _load = load;
        _clock = clock;
        _window = options.Value.CoalesceWindow;
        _maxWait = options.Value.CoalesceMaxWait;
        // Stopping: what is gathered goes out now, within the worker's grace period.
        _stopping = lifetime.ApplicationStopping.Register(SealAll);
    }

    /// <summary>Only users can be multicast to (LINE user ids start with U); groups (C…) and rooms (R…) are pushed.</summary>
    public static bool CanShare(string recipient) => recipient.StartsWith('U');

    public DeliveryResult Join(QueuedEvent queued, OutboundMessage[] messages)
    {
        if (_quota.Exhausted)
        {
            return new DeliveryResult.Paused(_quota.PausedUntil, "multicast: LINE monthly quota reached");
        }

        var json = LineMessages.ToJson(messages);
        var member = new BatchMember(queued);
        Gathering? sealedNow = null;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (!_open.TryGetValue(json, out var gathering))
            {
                gathering = new Gathering(json, messages, now);
                gathering.Timer = _clock.CreateTimer(OnTimer, gathering, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _open[json] = gathering;
            }

            gathering.Members.Add(member);
            gathering.LastAt = now;
            if (_stopped || gathering.Members.Count >= LineApiClient.MaxMulticastRecipients)
            {
                sealedNow = Seal(gathering);
            }
            else
            {
                gathering.Timer!.Change(Max(Due(gathering) - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            }
        }

        if (sealedNow is not null) Send(sealedNow);
        return new DeliveryResult.Handed(member.Result.Task);
    }

    /// <summary>
    /// An event of a stored batch: the members coming back together (they were given the same due time) are gathered
    /// for one <see cref="LineOptions.CoalesceWindow"/>, then the batch goes out again once for all of them.
    /// </summary>
    public DeliveryResult Rejoin(QueuedEvent queued, long batchId)
    {
        var member = new BatchMember(queued);
        bool first;
        lock (_gate)
        {
            first = !_rejoining.TryGetValue(batchId, out var members);
            if (first) _rejoining[batchId] = members = [];
            members!.Add(member);
        }

        if (first) _ = SendRejoinedAsync(batchId);
        return new DeliveryResult.Handed(member.Result.Task);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        lock (_gate)
        {
            foreach (var gathering in _open.Values) gathering.Timer?.Dispose();
        }
    }

    private async Task SendRejoinedAsync(long batchId)
    {
        if (!_stopped && _window > TimeSpan.Zero)
        {
            await Task.Delay(_window, _clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        List<BatchMember> members;
        lock (_gate)
        {
            members = _rejoining[batchId];
            _rejoining.Remove(batchId);
        }

        await _sender.SendStoredAsync(batchId, members);
    }

    private void OnTimer(object? state)
    {
        var gathering = (Gathering)state!;
        Gathering? sealedNow = null;
        lock (_gate)
        {
            if (!_open.TryGetValue(gathering.Json, out var current) || current != gathering) return;
            var now = _clock.GetUtcNow();
            var wait = Due(gathering) - now;
            if (wait <= TimeSpan.Zero && _load.InFlight > 0 && gathering.FirstAt + _maxWait > now)
            {
                // Idle, but answers are still being produced: one more window, within the maximum wait.
                wait = Min(now + _window, gathering.FirstAt + _maxWait) - now;
            }

            if (wait > TimeSpan.Zero)
            {
                gathering.Timer!.Change(wait, Timeout.InfiniteTimeSpan); // a member came meanwhile
                return;
            }

            sealedNow = Seal(gathering);
        }

        Send(sealedNow);
    }

    private void SealAll()
    {
        List<Gathering> all;
        lock (_gate)
        {
            _stopped = true;
            all = [.. _open.Values.Select(Seal)];
        }

        foreach (var gathering in all) Send(gathering);
    }

    // An answer nobody shared goes by push: the same price, under the event's own retry key, and LINE allows ten
    // times more pushes than multicasts per second.
    private void Send(Gathering gathering) => _ = gathering.Members.Count == 1
        ? _sender.PushAloneAsync(gathering.Members[0], gathering.Messages)
        : _sender.SendNewAsync(gathering.Json, gathering.Members);

    // Caller holds _gate.
    private Gathering Seal(Gathering gathering)
    {
        _open.Remove(gathering.Json);
        gathering.Timer?.Dispose();
        return gathering;
    }

    private DateTimeOffset Due(Gathering g) => Min(g.LastAt + _window, g.FirstAt + _maxWait);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;


    private sealed class Gathering(string json, OutboundMessage[] messages, DateTimeOffset firstAt)
    {
        public string Json { get; } = json;

        public OutboundMessage[] Messages { get; } = messages;

        public DateTimeOffset FirstAt { get; } = firstAt;

        public DateTimeOffset LastAt { get; set; } = firstAt;

        public List<BatchMember> Members { get; } = [];

        public ITimer? Timer { get; set; }
    }
}

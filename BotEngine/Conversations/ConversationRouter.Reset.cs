using Akka.Actor;

namespace BotEngine.Conversations;

/// <summary>The router's handling of conversations that cannot be read, and of resets.</summary>
internal sealed partial class ConversationRouter
{
    // Conversations whose replay failed, with the reason; kept until reset (a restart forgets them: the next event
    // then finds out again, with one replay).
    private readonly Dictionary<ConversationKey, string> _unreadable = [];
    private readonly Dictionary<ConversationKey, List<IActorRef>> _resets = [];
    private readonly Dictionary<IActorRef, ConversationKey> _erasers = [];

    private void OnReplayFailed(ReplayFailed failed)
    {
        if (!_keys.TryGetValue(Sender, out var key)) return;
        _failures.Failed(key, failed.Reason, failed.Permanent);
        if (failed.Permanent) _unreadable[key] = failed.Reason;
        if (!_recovering.Remove(Sender, out var pending)) return;
        foreach (var (_, sender) in pending) sender.Tell(ConversationAnswers.ReplayFailed(key, failed));
    }

    // The live child (if any) stops first, as for passivation; its commands and later ones wait for the reset.
    private void Reset(ResetConversation command)
    {
        var key = command.Key;
        if (_stopRequester is not null)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException("Conversations are shutting down")));
            return;
        }

        if (_resets.TryGetValue(key, out var requesters))
        {
            requesters.Add(Sender); // one reset already under way answers both
            return;
        }

        _resets[key] = [Sender];
        if (_children.TryGetValue(key, out var child))
        {
            BeginStop(child); // no-op if it is stopping already; OnStopped then starts the eraser
            return;
        }

        _held.TryAdd(key, new());
        StartEraser(key);
    }

    private void StartEraser(ConversationKey key)
    {
        var eraser = Context.ActorOf(ConversationEraser.Props(key), "reset-" + key.ActorName);
        Context.Watch(eraser);
        _erasers[eraser] = key;
    }

    private void OnErased(ConversationErased erased)
    {
        if (!_erasers.Remove(Sender, out var key)) return;
        Context.Unwatch(Sender);
        Erased(key, erased.Error);
    }

    private void Erased(ConversationKey key, string? error)
    {
        if (error is null)
        {
            _unreadable.Remove(key);
            _failures.Reset(key);
        }

        foreach (var requester in _resets.Remove(key, out var requesters) ? requesters : [])
        {
            requester.Tell(ConversationAnswers.Reset(key, error));
        }

        Release(key);
    }
}

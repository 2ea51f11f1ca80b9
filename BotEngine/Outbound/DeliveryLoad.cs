namespace BotEngine.Outbound;

/// <summary>
/// How many events the delivery worker is handling right now (asking their conversations, sending). The send planner
/// reads it: while answers are still being produced, an identical one may come any moment, so a batch keeps waiting.
/// </summary>
internal sealed class DeliveryLoad
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Finished() => Interlocked.Decrement(ref _inFlight);
}

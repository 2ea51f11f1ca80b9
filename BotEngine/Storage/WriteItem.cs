namespace BotEngine.Storage;

/// <summary>How the writer runs an item.</summary>
internal enum WriteKind
{
    /// <summary>Any number of statements, in a savepoint of its own so a failure undoes only this item.</summary>
    Default,

    /// <summary>Exactly one statement: no savepoint needed (SQLite makes each statement atomic).</summary>
    SingleStatement,

    /// <summary>One statement that someone is waiting for (a webhook's 200): goes into the next batch first.</summary>
    Urgent,
}

internal abstract class WriteItem(long sizeHint, WriteKind kind)
{
    public long SizeHint { get; } = sizeHint;

    public WriteKind Kind { get; } = kind;

    public abstract void Run(IWriteContext context);

    /// <summary>The item's own work failed; its savepoint was rolled back, the rest of the batch goes on.</summary>
    public abstract void Reject(Exception error);

    /// <summary>The batch's commit failed.</summary>
    public abstract void Fail(Exception error);

    /// <summary>The batch committed.</summary>
    public abstract void Complete();
}

internal sealed class WriteItem<T>(Func<IWriteContext, T> work, long sizeHint, WriteKind kind)
    : WriteItem(sizeHint, kind)
{
    private T? _result;
    private Exception? _rejected;

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Run(IWriteContext context) => _result = work(context);

    public override void Reject(Exception error) => _rejected = error;

    public override void Fail(Exception error) => Completion.TrySetException(error);

    public override void Complete()
    {
        if (_rejected is not null)
        {
            Completion.TrySetException(_rejected);
        }
        else
        {
            Completion.TrySetResult(_result!);
        }
    }
}

namespace BotEngine.Tests.Support;

/// <summary>
/// Awaits a condition with a deadline: for effects that have no event to wait on (a row's state in a file, a page of
/// stats, a health check). The one polling loop of the tests.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout, string what) =>
        ValueAsync(() => Task.FromResult(read()), done, timeout, what);

    /// <summary>Reads until <paramref name="done"/> holds, then returns the value; throws <see cref="TimeoutException"/>
    /// (with the last value) after <paramref name="timeout"/>.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"After {timeout}: {what}; last value: {value}");
            }

            await Task.Delay(Poll);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        ValueAsync(condition, ok => ok, timeout, what);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        ValueAsync(condition, ok => ok, timeout, what);

    /// <summary>As <see cref="TrueAsync(Func{Task{bool}}, TimeSpan, string)"/>, but says false at the deadline instead
    /// of throwing: for a step whose outcome the test checks afterwards either way.</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        try
        {
            await TrueAsync(condition, timeout, "");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

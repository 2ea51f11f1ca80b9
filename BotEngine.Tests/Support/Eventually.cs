namespace BotEngine.Tests.Support;

/// <summary>Awaits a condition with a deadline: for effects that have no event to wait on (a row's state in a file).</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"After {timeout}: {what}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        ValueAsync(condition, ok => ok, timeout, what);
}

using BotEngine.Operations;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotEngine.Tests.Operations;

/// <summary>
/// The watch runs on a thread of its own: an exception there ends the whole process (a test run was aborted by an
/// ObjectDisposedException from its wait when the host disposed it before the thread had left the wait).
/// </summary>
public sealed class ThreadPoolWatchTests
{
    [Fact]
    public async Task Disposed_right_after_start_the_watch_thread_has_ended_first()
    {
        for (var i = 0; i < 50; i++)
        {
            var watch = new ThreadPoolWatch(new EngineMetrics(), TimeProvider.System, NullLogger<ThreadPoolWatch>.Instance);
            await watch.StartAsync(CancellationToken.None);
            if (i % 2 == 0) await watch.StopAsync(CancellationToken.None);

            watch.Dispose();

            Assert.False(watch.IsRunning);
        }
    }

    [Fact]
    public void Disposed_without_a_start_it_does_not_throw()
    {
        var watch = new ThreadPoolWatch(new EngineMetrics(), TimeProvider.System, NullLogger<ThreadPoolWatch>.Instance);

        watch.Dispose();

        Assert.False(watch.IsRunning);
    }
}

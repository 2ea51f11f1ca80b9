using System.Reflection;
using BotEngine.Flows;

namespace BotEngine.Operations;

/// <summary>
/// Runs the engine; when it cannot start (a broken flow, an unknown <c>Flows:Bot</c>, the port taken, a bad setting)
/// it stops what did start, prints what is wrong in one line (one per flow error) on stderr and returns exit code 1,
/// which systemd shows as it is. Without this the runtime printed the message twice with its stack trace and
/// aborted (exit code 134).
/// </summary>
internal static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>Sets up the pipeline with <paramref name="map"/> (which may resolve services, so read settings), starts,
    /// and runs until stopped.</summary>
    public static int Run(WebApplication app, Action map) => Run(app, map, Console.Error);

    public static int Run(WebApplication app, Action map, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(map);
        try
        {
            map();
            app.Start();
        }
        catch (Exception ex) when (ex is not HostAbortedException && OwnsProcess)
        {
            StopQuietly(app);
            foreach (var line in Describe(ex)) error.WriteLine($"botengine: cannot start: {line}");
            return ExitCode;
        }

        app.WaitForShutdown();
        return 0;
    }

    // Only as the program itself: a host started by something else (a test's WebApplicationFactory) leaves the
    // failure to its owner, as an exception.
    private static bool OwnsProcess => Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    /// <summary>What went wrong, without wrappers and stack traces: one line, or one per flow error.</summary>
    public static IEnumerable<string> Describe(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex is FlowLoadException flows
            ? flows.Errors.Select(e => e.ToString())
            : [string.Join(" ", ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    // Workers that had started get their normal stop (they drain and release their claims), so the failure is the
    // one thing reported; an error while stopping is secondary to it.
    private static void StopQuietly(WebApplication app)
    {
        try
        {
            app.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Whatever stopping throws, the start-up error is what the operator must see.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The host's own "Hosting failed to start" error repeats the failure with its stack trace.</summary>
    public static bool IsHostsOwnReport(Serilog.Events.LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var id) && id is Serilog.Events.StructureValue structure
        && structure.Properties.Any(p => p.Name == "Name" && p.Value is Serilog.Events.ScalarValue { Value: "HostedServiceStartupFaulted" });
}

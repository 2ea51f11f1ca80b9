namespace BotEngine.Tests.Support;

/// <summary>A fake LINE API, a data folder and an engine on them; tests start the engine with their own settings.</summary>
public abstract class EngineTest : IAsyncLifetime
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    protected TempDirectory Data { get; } = new();

    protected FakeLineApi Line { get; private set; } = null!;

    protected BotEngineApp App { get; set; } = null!;

    public virtual async Task InitializeAsync() => Line = await FakeLineApi.StartAsync();

    public virtual async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Line.DisposeAsync();
        Data.Dispose();
    }

    protected BotEngineApp Start(params (string Key, string Value)[] settings)
    {
        App = BotEngineApp.Start(Data.Path, Line, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        return App;
    }

    protected async Task RestartAsync(params (string Key, string Value)[] settings)
    {
        await App.DisposeAsync();
        Start(settings);
    }

    protected async Task PostAsync(params string[] events)
    {
        using var response = await App.PostLineAsync(LineFixtures.Body(events));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Waits until the queue holds no open work, then gives LINE's view of what was sent.</summary>
    protected async Task<IReadOnlyList<AcceptedMessage>> SettledAsync()
    {
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "every body split and every event done or dead");
        return Line.Accepted;
    }
}

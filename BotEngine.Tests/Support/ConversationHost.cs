using Akka.Actor;
using Akka.Hosting;
using BotEngine.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotEngine.Tests.Support;

/// <summary>The conversation actors alone (the real registration, real shard files) in a host, with the demo bot.</summary>
internal static class ConversationHost
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <param name="snapshotEvery">Small values make a restart recover from a snapshot plus events.</param>
    /// <param name="settings">Configuration added after the defaults (e.g. <c>BotEngine:Storage</c>).</param>
    /// <param name="idleTimeout">How long a conversation's actor stays without a message (5 minutes unless given).</param>
    public static async Task<IHost> StartAsync(string folder, int snapshotEvery = ConversationSettings.DefaultSnapshotEvery,
        IDictionary<string, string?>? settings = null, TimeSpan? idleTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BotEngine:DataDirectory"] = folder,
            ["BotEngine:Durability"] = "Normal",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.AddFilter("Akka", LogLevel.Warning);
        builder.Services.AddSingleton(new ConversationSettings(idleTimeout ?? TimeSpan.FromMinutes(5), snapshotEvery));
        builder.Services.AddHealthChecks();
        builder.AddBotEngineOptions();
        builder.Services.AddSingleton<IBot, DemoBot>();
        builder.AddConversationActors();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<EventHandled> HandleAsync(this IHost host, HandleEvent command)
    {
        var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
        return await router.Ask<EventHandled>(command, Timeout);
    }

    /// <summary>Conversation actors alive under the router.</summary>
    public static async Task<int> LiveAsync(this IHost host)
    {
        var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
        return (await router.Ask<ConversationStats>(GetConversationStats.Instance, Timeout)).Live;
    }
}

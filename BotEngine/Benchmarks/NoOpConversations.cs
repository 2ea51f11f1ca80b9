using BotEngine.Channels;
using BotEngine.Conversations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotEngine.Benchmarks;

/// <summary>
/// A benchmark baseline, not for production (<c>BotEngine:Conversations=NoOp</c>): answers every event with one fixed
/// text message, at once, remembering nothing. The rest of the pipeline runs as usual (webhook, split, claim, ask,
/// send, done), so <c>bench/run.sh</c> measures what the conversations cost by running the same load against both.
/// </summary>
internal sealed class NoOpConversations : IConversations
{
    public const string Answer = "ok";

    private static readonly IReadOnlyList<OutboundMessage> Messages = [OutboundMessage.OfText(Answer)];

    public Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct) =>
        Task.FromResult(new EventHandled(command.QueueId, command.EventId, Messages, []));

    public Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct) =>
        Task.FromResult(new ConversationView(key, BotState.StartStep, new Dictionary<string, string>()));

    public Task ResetAsync(ConversationKey key, CancellationToken ct) => Task.CompletedTask;
}

internal static class BenchmarkRegistration
{
    /// <summary>
    /// Call after <c>AddDelivery</c>: with <c>BotEngine:Conversations=NoOp</c>, the conversations registered there are
    /// replaced. Decided when first resolved, from the bound options (tests add their settings after Program.cs ran).
    /// </summary>
    public static IHostApplicationBuilder AddBenchmarkBaseline(this IHostApplicationBuilder builder)
    {
        var conversations = builder.Services.Last(d => d.ServiceType == typeof(IConversations));
        builder.Services.Replace(ServiceDescriptor.Singleton<IConversations>(services =>
            services.GetRequiredService<IOptions<BotEngineOptions>>().Value.Conversations == ConversationRuntime.NoOp
                ? new NoOpConversations()
                : Create(conversations, services)));
        return builder;
    }

    private static IConversations Create(ServiceDescriptor registered, IServiceProvider services) => (IConversations)(
        registered.ImplementationInstance
        ?? registered.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}

using BotEngine.Conversations;
using BotEngine.Flows.Code;
using BotEngine.Flows.Demo;
using BotEngine.Flows.Runtime;
using Microsoft.Extensions.Options;

namespace BotEngine.Flows;

/// <summary>
/// The conversation the engine runs: a flow file (<c>Flows:Bot = flow:{id}</c>) or a conversation written in C#
/// (<c>code:{name}</c>), as the <see cref="IBot"/>. A broken flow stops start-up before any webhook is taken.
/// </summary>
internal static class FlowRegistration
{
    public static IHostApplicationBuilder AddFlows(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FlowOptions>().BindConfiguration(FlowOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FlowOptions>, FlowOptionsValidator>();
        builder.Services.AddBuiltInFlowSteps();
        builder.Services.AddSingleton<ICodeConversation, QuizConversation>();
        builder.Services.AddSingleton(sp => CreateBot(
            sp.GetRequiredService<IOptions<FlowOptions>>().Value,
            sp.GetRequiredService<IOptions<BotEngineOptions>>().Value,
            sp.GetServices<IFlowStep>(), sp.GetServices<ICodeConversation>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FlowRegistration))));
        builder.Services.AddSingleton<IBot>(sp => sp.GetRequiredService<FlowBot>());
        // Hosted services start in registration order and Kestrel last: resolving the bot here fails start-up early.
        builder.Services.AddHostedService<FlowStartupCheck>();
        return builder;
    }

    /// <summary>Registers a C# step that flows call with <c>"call": "{step.Name}"</c>.</summary>
    public static IServiceCollection AddFlowStep<TStep>(this IServiceCollection services) where TStep : class, IFlowStep =>
        services.AddSingleton<IFlowStep, TStep>();

    /// <summary>The steps compiled into the engine; <c>flows check</c> knows these.</summary>
    public static IServiceCollection AddBuiltInFlowSteps(this IServiceCollection services) =>
        services.AddFlowStep<BookingReferenceStep>();

    public static string FlowsDirectory(FlowOptions flows, BotEngineOptions engine) =>
        Path.GetFullPath(flows.Directory ?? Path.Combine(engine.DataDirectory, "flows"));

    private static FlowBot CreateBot(FlowOptions flows, BotEngineOptions engine, IEnumerable<IFlowStep> steps,
        IEnumerable<ICodeConversation> code, ILogger logger)
    {
        var stepList = steps.ToList();
        var known = stepList.Select(s => s.Name).ToHashSet();
        var set = FlowLoader.Load(FlowsDirectory(flows, engine), known);
        if (set.Errors.Count > 0) throw new FlowLoadException(set.Errors);

        if (flows.Bot.StartsWith(FlowOptions.CodePrefix, StringComparison.Ordinal))
        {
            var name = flows.Bot[FlowOptions.CodePrefix.Length..];
            var conversation = code.FirstOrDefault(c => c.Name == name) ?? throw new InvalidOperationException(
                $"Flows:Bot is '{flows.Bot}' but no C# conversation is named '{name}' " +
                $"(known: {string.Join(", ", code.Select(c => c.Name))})");
            logger.LogInformation("Running the C# conversation {Name}", name);
            return new FlowBot(conversation.Build(), stepList);
        }
        var id = flows.Bot[FlowOptions.FlowPrefix.Length..];
        var flow = set.Find(id) ?? throw new InvalidOperationException(
            $"Flows:Bot is '{flows.Bot}' but {set.Source} has no flow with id '{id}' " +
            $"(found: {string.Join(", ", set.Flows.Select(f => f.Id))})");
        logger.LogInformation("Running flow {FlowId} version {Version} from {Source}", flow.Id, flow.Version, set.Source);
        return new FlowBot(flow, stepList);
    }

    private sealed class FlowStartupCheck(FlowBot bot) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(bot); // constructing the bot loaded and validated the flows
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

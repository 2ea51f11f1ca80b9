using BotEngine.Flows.Runtime;

namespace BotEngine.Flows;

/// <summary>
/// <c>botengine flows check [folder]</c>: reads and validates every flow file without starting the server.
/// Exit code 0 when every flow is valid, 1 otherwise (each error as <c>file:line:column: message</c>).
/// </summary>
internal static class FlowsCommand
{
    private const string DefaultFolder = "data/flows";

    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rest = args.SkipWhile(a => a == "flows").ToArray();
        if (rest.Length is 0 or > 2 || rest[0] != "check")
        {
            output.WriteLine("usage: botengine flows check [folder]   (default folder: data/flows)");
            return 1;
        }
        var folder = rest.Length == 2 ? rest[1] : DefaultFolder;
        if (rest.Length == 2 && !Directory.Exists(folder))
        {
            output.WriteLine($"{folder}: no such folder");
            return 1;
        }

        var services = new ServiceCollection().AddBuiltInFlowSteps();
        using var provider = services.BuildServiceProvider();
        var steps = provider.GetServices<IFlowStep>().Select(s => s.Name).ToHashSet();
        var set = FlowLoader.Load(folder, steps);
        foreach (var error in set.Errors) output.WriteLine(error);
        if (set.Errors.Count > 0)
        {
            output.WriteLine($"{set.Errors.Count} error(s) in the flows of {set.Source}");
            return 1;
        }
        output.WriteLine($"OK: {set.Source}: " + string.Join(", ", set.Flows.Select(f => $"{f.Id} v{f.Version}")));
        return 0;
    }
}

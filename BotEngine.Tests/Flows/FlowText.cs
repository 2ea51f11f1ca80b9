using System.Text;
using BotEngine.Flows;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;
using BotEngine.Tests.Deployment;

namespace BotEngine.Tests.Flows;

/// <summary>Flow files written in tests, read and validated like the engine does.</summary>
internal static class FlowText
{
    public const string File = "test.json";

    public static string RepoFlows { get; } = Path.Combine(InstallScript.RepoRoot, "data", "flows");

    public static FlowSet Check(string json, params string[] steps) =>
        FlowLoader.Check("test", [(File, Encoding.UTF8.GetBytes(json))], steps.ToHashSet());

    public static FlowDefinition Parse(string json, params string[] steps)
    {
        var set = Check(json, steps);
        Assert.Empty(set.Errors);
        return Assert.Single(set.Flows);
    }

    public static FlowBot Booking() =>
        new(FlowLoader.Load(RepoFlows).Find("booking")!, [new BotEngine.Flows.Demo.BookingReferenceStep()]);

    /// <summary>The single error, asserting its line, column and that its message contains <paramref name="what"/>.</summary>
    public static void AssertError(FlowSet set, int line, int column, string what)
    {
        var error = Assert.Single(set.Errors);
        Assert.Equal((File, line, column), (error.Pos.File, error.Pos.Line, error.Pos.Column));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }
}

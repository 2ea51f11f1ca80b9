using System.Xml.Linq;
using BotEngine.Flows;
using BotEngine.Tests.Deployment;

namespace BotEngine.Tests.Flows;

/// <summary>What a published binary carries: the demo flow, named in the project file, never a scratch file.</summary>
public sealed class BuiltInFlowTests
{
    [Fact]
    public void The_binary_carries_the_demo_flow_and_nothing_else_from_data_flows()
    {
        var resources = typeof(FlowLoader).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("flows/", StringComparison.Ordinal));
        var set = FlowLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(["flows/booking.json"], resources);
        Assert.Equal((FlowSet.BuiltIn, "booking"), (set.Source, Assert.Single(set.Flows).Id));
    }

    [Fact]
    public void The_project_names_each_built_in_flow_file_instead_of_taking_the_whole_folder()
    {
        var project = XDocument.Load(Path.Combine(InstallScript.RepoRoot, "BotEngine", "BotEngine.csproj"));
        var flows = project.Descendants("EmbeddedResource").Select(e => (string?)e.Attribute("Include") ?? "")
            .Where(i => i.Contains("data/flows", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(flows);
        Assert.All(flows, include => Assert.DoesNotContain("*", include, StringComparison.Ordinal));
        Assert.All(flows, include => Assert.True(File.Exists(Path.Combine(InstallScript.RepoRoot, "BotEngine", include)), include));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Cluster;

/// <summary>In cluster mode the admin conversation reset is not built yet: it says so (501), it does not throw (500).</summary>
public sealed class ClusterResetTests : EngineTest
{
    [PostgresFact]
    public async Task Resetting_a_conversation_in_cluster_mode_is_501_with_the_reason()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var port = EngineProcess.FreeLoopbackPort();
        App = BotEngineApp.Start(Data.Path, Line, new Dictionary<string, string?>
        {
            ["BotEngine:Storage"] = "Postgres",
            ["ConnectionStrings:Postgres"] = database,
            ["BotEngine:Cluster:Enabled"] = "true",
            ["BotEngine:Cluster:Port"] = $"{port}",
            ["BotEngine:Cluster:NodeName"] = "n0",
            ["BotEngine:Cluster:SeedNodes:0"] = $"127.0.0.1:{port}",
        });
        var user = LineFixtures.NewUserId();

        using var response = await App.Client.PostAsync($"/admin/conversations/{Uri.EscapeDataString($"line:{user}")}/reset", null);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"line:{user}", answer.GetProperty("conversation").GetString());
        Assert.Contains("not available in cluster mode", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}

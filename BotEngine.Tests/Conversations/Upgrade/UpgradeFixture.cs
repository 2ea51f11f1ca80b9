namespace BotEngine.Tests.Conversations.Upgrade;

/// <summary>The files in Fixture/ (see its README): an akka.db of an earlier build and the flow it ran.</summary>
internal static class UpgradeFixture
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Conversations", "Upgrade", "Fixture");

    /// <summary>The fixture's flow (the demo flow plus a buttons template) into a data folder's flows/.</summary>
    public static void CopyFlows(string dataDirectory)
    {
        var flows = Directory.CreateDirectory(Path.Combine(dataDirectory, "flows")).FullName;
        File.Copy(Path.Combine(Folder, "flows", "booking.json"), Path.Combine(flows, "booking.json"), overwrite: true);
    }
}

using System.Runtime.CompilerServices;

namespace BotEngine.Tests.Support;

internal static class TestSetup
{
    // Hosts built by tests must not watch appsettings.json for changes: one inotify watch per host adds up.
    [ModuleInitializer]
    internal static void Initialize() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}

using BotEngine.Channels.Telegram;
using BotEngine.Flows;
using BotEngine.Hosting;

namespace BotEngine.Operations;

/// <summary>
/// The binary's one-shot commands (<c>botengine backup FILE</c>, <c>botengine flows check [folder]</c>): run instead
/// of the server when the first argument
/// names one. Settings come from the same places as the server's: appsettings.json beside the binary, environment
/// variables, then <c>--Key=value</c> arguments after the command's own.
/// </summary>
internal static class EngineCommands
{
    private const string Backup = "backup";
    private const string Flows = "flows";

    public static bool Handles(string[] args) => args.Length > 0 && args[0] is Backup or Flows or TelegramCommand.Name;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args[0] == TelegramCommand.Name) return TelegramCommand.Run(args, output, error);

        if (args[0] == Flows)
        {
            return FlowsCommand.Run(args, output);
        }

        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            error.WriteLine("usage: botengine backup FILE [--BotEngine:DataDirectory=DIR]");
            error.WriteLine("  copies queue.db to FILE and each conversations-N.db beside it (FILE with .conversations-N before its extension)");
            return 2;
        }

        return BackupCommand.Run(args[1], Options(args[2..]), output, error);
    }

    private static BotEngineOptions Options(string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
        return configuration.GetSection(BotEngineOptions.Section).Get<BotEngineOptions>() ?? new BotEngineOptions();
    }
}

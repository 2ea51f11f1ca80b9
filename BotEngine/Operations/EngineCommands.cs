using System.Reflection;
using BotEngine.Channels;
using BotEngine.Flows;

namespace BotEngine.Operations;

/// <summary>
/// The binary's one-shot commands, run instead of the server: <c>--help</c> and <c>--version</c> (anywhere on the
/// command line), <c>botengine backup FILE</c> and <c>botengine flows check [folder]</c> (as the first argument).
/// Settings come from the same places as the server's: appsettings.json beside the binary, environment variables,
/// then <c>--Key=value</c> arguments after the command's own.
/// </summary>
internal static class EngineCommands
{
    private const string Backup = "backup";
    private const string Flows = "flows";

    private const string Usage = """
        botengine: a self-hosted chat-bot engine (webhooks in, answers out; nothing lost, doubled or reordered)

        usage:
          botengine [--Section:Key=value ...]   run the engine
          botengine flows check [folder]        check flow files without starting (default folder: data/flows)
          botengine backup FILE                 copy queue.db to FILE and the conversation files beside it, while it runs
        {0}  botengine --help | --version

        Settings: appsettings.json beside the binary, then environment variables (BotEngine__DataDirectory=...),
        then arguments (--Urls=http://127.0.0.1:8080 --Flows:Bot=flow:booking). README.md lists every key.
        """;

    private static readonly string[] HelpFlags = ["--help", "-h", "-?"];

    public static bool Handles(string[] args) =>
        args.Length > 0 && ((args[0] is Backup or Flows || Command(args[0]) is not null) || args.Any(a => HelpFlags.Contains(a) || a == "--version"));

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Any(HelpFlags.Contains))
        {
            output.Write(Usage.Replace("{0}", string.Concat(ChannelRegistration.Commands.Select(c => c.Usage)), StringComparison.Ordinal));
            return 0;
        }

        if (args.Contains("--version"))
        {
            output.WriteLine($"botengine {Version} (.NET {Environment.Version})");
            return 0;
        }

        if (Command(args[0]) is { } command) return command.Run(args, output, error);

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

        var configuration = Configuration(args[2..]);
        if (configuration.GetSection(BotEngineOptions.Section).Get<Storage.Postgres.StorageOptions>()?.IsPostgres == true)
        {
            // The queue and the journals are in PostgreSQL, not in the data folder: a file copy would hold nothing.
            error.WriteLine("backup: BotEngine:Storage is Postgres: the queue and the conversations are in PostgreSQL; "
                + "back them up with pg_dump (pg_dump -Fc -f botengine.dump DATABASE), nothing was copied");
            return 1;
        }

        return BackupCommand.Run(args[1], configuration.GetSection(BotEngineOptions.Section).Get<BotEngineOptions>() ?? new BotEngineOptions(),
            output, error);
    }

    private static ChannelCommand? Command(string name) => ChannelRegistration.Commands.FirstOrDefault(c => c.Name == name);

    // The SDK writes the commit into the informational version ("1.0.0+0a1b2c3…") when built from a git checkout.
    private static string Version =>
        typeof(EngineCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EngineCommands).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static IConfiguration Configuration(string[] settings) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(settings)
        .Build();
}

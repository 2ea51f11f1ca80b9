using System.Globalization;

namespace BotEngine.Channels.Telegram;

/// <summary>The arguments of <c>botengine telegram …</c>: the verb, its options, and settings (<c>--Key=value</c>).</summary>
internal sealed record TelegramCommandLine(string? Url, bool DropPendingUpdates, int? MaxConnections, string[] Settings)
{
    private const string Drop = "--drop-pending-updates";
    private const string MaxConnectionsOption = "--max-connections=";

    /// <summary>Null for a usage error. <see cref="Url"/> is set for set-webhook, null for status.</summary>
    public static TelegramCommandLine? Parse(string[] args)
    {
        var rest = args.SkipWhile(a => a == TelegramCommand.Name).ToList();
        if (rest.Count == 0 || rest[0] is not ("set-webhook" or "status")) return null;
        var setWebhook = rest[0] == "set-webhook";
        string? url = null;
        var drop = false;
        int? max = null;
        var settings = new List<string>();
        foreach (var arg in rest.Skip(1))
        {
            if (arg == Drop && setWebhook)
            {
                drop = true;
            }
            else if (arg.StartsWith(MaxConnectionsOption, StringComparison.Ordinal) && setWebhook)
            {
                // Telegram takes 1–100 (default 40).
                var value = arg[MaxConnectionsOption.Length..];
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 100)
                {
                    return null;
                }

                max = n;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                settings.Add(arg);
            }
            else if (setWebhook && url is null && Uri.TryCreate(arg, UriKind.Absolute, out var uri)
                && uri.Scheme is "https" or "http")
            {
                url = arg;
            }
            else
            {
                return null;
            }
        }

        return setWebhook && url is null ? null : new TelegramCommandLine(url, drop, max, [.. settings]);
    }

    /// <summary>Telegram's settings from appsettings.json beside the binary, the environment, then the arguments.</summary>
    public TelegramOptions Options()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(Settings)
            .Build();
        return configuration.GetSection(TelegramOptions.Section).Get<TelegramOptions>() ?? new TelegramOptions();
    }
}

using Microsoft.Extensions.Options;
using Npgsql;

namespace BotEngine.Storage.Postgres;

/// <summary>Where the queue and the conversation journal live: <c>BotEngine:Storage</c> and <c>ConnectionStrings:Postgres</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>Sqlite</c> (default): files in the data folder, one engine process. <c>Postgres</c>: one PostgreSQL database.</summary>
    public StorageMode Storage { get; set; } = StorageMode.Sqlite;

    /// <summary>Npgsql connection string (<c>ConnectionStrings:Postgres</c>); required when <see cref="Storage"/> is Postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Postgres only: a node whose queue heartbeat is older than this lost its claims (others take its lanes).</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// This node's stable name in the queue (<c>BotEngine:Cluster:NodeName</c>, else the machine name): at start the
    /// claims of its previous run are released at once instead of after <see cref="NodeTimeout"/>.
    /// </summary>
    public string NodeName { get; set; } = Environment.MachineName;

    public bool IsPostgres => Storage == StorageMode.Postgres;
}

public enum StorageMode
{
    Sqlite,
    Postgres,
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!options.IsPostgres) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            return ValidateOptionsResult.Fail("BotEngine:Storage is Postgres but ConnectionStrings:Postgres is empty");
        }

        if (options.NodeTimeout < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail("BotEngine:NodeTimeout must be at least 00:00:01");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the password.
            return ValidateOptionsResult.Fail($"ConnectionStrings:Postgres is not a valid Npgsql connection string: {e.Message}");
        }
    }
}

internal static class StorageRegistration
{
    /// <summary>Binds and validates the storage mode; safe to call from every registration that depends on it.</summary>
    public static IHostApplicationBuilder AddStorageMode(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(StorageOptionsValidator))) return builder;
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(BotEngineOptions.Section)
            .Configure<IConfiguration>((o, c) =>
            {
                o.PostgresConnectionString = c.GetConnectionString("Postgres");
                o.NodeName = c["BotEngine:Cluster:NodeName"] is { Length: > 0 } name ? name : o.NodeName;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<StorageOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>>(sp => sp.GetRequiredService<StorageOptionsValidator>());
        return builder;
    }
}

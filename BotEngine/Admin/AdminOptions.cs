namespace BotEngine.Admin;

/// <summary>Admin API and dashboard access (section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Bearer token; without it the admin endpoints answer only on loopback.</summary>
    public string? Token { get; set; }
}

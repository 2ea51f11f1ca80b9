namespace BotEngine.Dashboard;

/// <summary>
/// The dashboard's history (section <c>Dashboard</c>): one sample per interval, kept for <see cref="History"/>.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan History { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Samples kept: 360 with the defaults.</summary>
    public int Capacity => (int)Math.Ceiling(History / SampleInterval);

    public bool IsValid => SampleInterval >= TimeSpan.FromMilliseconds(50) && History >= SampleInterval
        && History / SampleInterval <= 100_000;
}

namespace BotEngine.Tests.Dashboard;

/// <summary>A test that drives Debian's Chromium; reported as skipped, with the reason, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"{ExecutablePath} is missing: install Debian's chromium (`apt-get install chromium`, as .ci/run does)";
        }
    }
}

namespace BotEngine.Tests.Support;

/// <summary>A test that drives Debian's Chromium; skipped, saying why, where it is not installed.</summary>
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

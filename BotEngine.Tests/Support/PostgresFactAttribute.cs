namespace BotEngine.Tests.Support;

/// <summary>
/// A test that needs PostgreSQL (<see cref="PostgresServer"/>). Skipped, saying why, on a developer machine without
/// Debian's postgresql package; never skipped under CI (<c>CI=true</c>, as .ci/run runs): there a missing server
/// is a failed test, so the Postgres mode cannot silently go untested.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string MissingReason =
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, as .ci/run does";

    public PostgresFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ci) return;
        if (PostgresServer.BinFolder is null) Skip = MissingReason;
        else if (Environment.IsPrivilegedProcess && !File.Exists("/usr/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
        {
            Skip = "running as root without runuser: PostgreSQL refuses to run as root";
        }
    }
}

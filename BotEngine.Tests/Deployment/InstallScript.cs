using System.Diagnostics;

namespace BotEngine.Tests.Deployment;

internal sealed record ScriptResult(int ExitCode, string Output, string Error);

/// <summary>Runs a command from the repository root and captures its output, with a deadline.</summary>
internal static class InstallScript
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static Task<ScriptResult> RunAsync(params string[] args) =>
        RunCommandAsync("bash", ["install.sh", .. args]);

    public static async Task<ScriptResult> RunCommandAsync(string command, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', start.ArgumentList)} ran longer than {Deadline}");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }

    public static bool CommandExists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, command)));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BotEngine.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"no BotEngine.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fact that is skipped, with the reason shown, when a command is not on the PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FactWhenCommandExistsAttribute : FactAttribute
{
    public FactWhenCommandExistsAttribute(string command)
    {
        Command = command;
        if (!InstallScript.CommandExists(command))
        {
            Skip = $"'{command}' is not installed on this machine, so this check cannot run here (.ci/run installs it)";
        }
    }

    public string Command { get; }
}

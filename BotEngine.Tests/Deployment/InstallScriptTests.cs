using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace BotEngine.Tests.Deployment;

[UnsupportedOSPlatform("windows")] // install.sh, bash and Unix file modes
public sealed class InstallScriptTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly InstallRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Install_under_root_lays_out_binary_config_secrets_data_and_unit()
    {
        await InstallOk();

        Assert.Equal("#!/bin/sh\necho fake botengine v1\n", await File.ReadAllTextAsync(_root.Binary));
        Assert.True(File.GetUnixFileMode(_root.Binary).HasFlag(UnixFileMode.OtherExecute));
        Assert.Equal("../../etc/botengine/appsettings.json",
            new FileInfo(_root.Under("/opt/botengine/appsettings.json")).LinkTarget);
        Assert.Contains("\"DataDirectory\": \"/var/lib/botengine\"", await File.ReadAllTextAsync(_root.Config));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_root.Secrets));
        Assert.Equal(OwnerReadWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_root.Config));
        Assert.True(Directory.Exists(_root.DataDirectory));
        Assert.True(File.Exists(_root.Unit));
    }

    [Fact]
    public async Task Install_under_root_lists_user_and_systemctl_steps_as_skipped()
    {
        var result = await InstallOk();

        Assert.Contains("skipped (--root): useradd --system", result.Output);
        Assert.Contains("skipped (--root): systemctl daemon-reload", result.Output);
        Assert.Contains("skipped (--root): systemctl enable botengine.service", result.Output);
    }

    [Fact]
    public async Task Unit_is_notify_type_with_secrets_file_and_hardening()
    {
        await InstallOk();

        var lines = await File.ReadAllLinesAsync(_root.Unit);
        string[] expected =
        [
            "Type=notify", "User=botengine", "ExecStart=/opt/botengine/botengine", "Restart=on-failure",
            "TimeoutStopSec=30s", "WorkingDirectory=/var/lib/botengine", "EnvironmentFile=/etc/botengine/botengine.env",
            "Environment=DOTNET_BUNDLE_EXTRACT_BASE_DIR=%C/botengine", "CacheDirectory=botengine",
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
            "ReadWritePaths=/var/lib/botengine", "WantedBy=multi-user.target",
        ];
        Assert.All(expected, line => Assert.Contains(line, lines));
        Assert.DoesNotContain(lines, line => line.Contains('@', StringComparison.Ordinal));
        // Seen under a real systemd: ProtectProc=invisible hides PID 1, .NET then does not know it runs under
        // systemd, never sends READY=1, and the start times out after TimeoutStartSec.
        Assert.DoesNotContain(lines, line => line.StartsWith("ProtectProc=", StringComparison.Ordinal));
        Assert.Contains("Environment=MALLOC_ARENA_MAX=2", lines);
    }

    [Fact]
    public async Task Second_install_keeps_edited_config_and_secrets_and_replaces_the_binary()
    {
        await InstallOk();
        await File.WriteAllTextAsync(_root.Config, "{ \"Urls\": \"http://127.0.0.1:1\" }\n");
        await File.AppendAllTextAsync(_root.Secrets, "Channels__Line__ChannelSecret=s3cret\n");
        var newBinary = _root.WriteFakeBinary("v2");

        var second = await InstallScript.RunAsync("--root", _root.Root, "--binary", newBinary);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal("{ \"Urls\": \"http://127.0.0.1:1\" }\n", await File.ReadAllTextAsync(_root.Config));
        Assert.EndsWith("Channels__Line__ChannelSecret=s3cret\n", await File.ReadAllTextAsync(_root.Secrets));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_root.Secrets));
        Assert.Contains("fake botengine v2", await File.ReadAllTextAsync(_root.Binary));
        Assert.DoesNotContain("s3cret", second.Output + second.Error);
    }

    [Fact]
    public async Task Uninstall_removes_unit_and_binary_but_keeps_config_secrets_and_data()
    {
        await InstallOk();
        await File.WriteAllTextAsync(Path.Combine(_root.DataDirectory, "queue.db"), "rows");

        var result = await InstallScript.RunAsync("--root", _root.Root, "--uninstall");

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(_root.Unit));
        Assert.False(Directory.Exists(_root.Under("/opt/botengine")));
        Assert.True(File.Exists(_root.Config));
        Assert.True(File.Exists(_root.Secrets));
        Assert.True(File.Exists(Path.Combine(_root.DataDirectory, "queue.db")));
    }

    [Fact]
    public async Task Uninstall_with_purge_also_removes_config_and_data()
    {
        await InstallOk();

        var result = await InstallScript.RunAsync("--root", _root.Root, "--uninstall", "--purge");

        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(_root.Under("/etc/botengine")));
        Assert.False(Directory.Exists(_root.DataDirectory));
    }

    [Fact]
    public async Task Dry_run_prints_the_actions_and_changes_nothing()
    {
        var onEmpty = await _root.InstallAsync("--dry-run");
        Assert.Equal(0, onEmpty.ExitCode);
        Assert.Contains("write " + _root.Unit, onEmpty.Output);
        Assert.Empty(_root.Snapshot());

        await InstallOk();
        var before = _root.Snapshot();
        Assert.Equal(0, (await _root.InstallAsync("--dry-run")).ExitCode);
        var purge = await InstallScript.RunAsync("--root", _root.Root, "--uninstall", "--purge", "--dry-run");
        Assert.Equal(0, purge.ExitCode);
        Assert.Equal(before, _root.Snapshot());
    }

    [Fact]
    public async Task Missing_binary_is_refused_with_a_clear_error()
    {
        var result = await InstallScript.RunAsync("--root", _root.Root, "--binary", _root.Under("/nowhere/botengine"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("binary not found", result.Error);
        Assert.Empty(_root.Snapshot());
    }

    [Fact]
    public async Task Port_from_config_already_in_use_is_reported()
    {
        await InstallOk();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await File.WriteAllTextAsync(_root.Config, $"{{\n  \"Urls\": \"http://127.0.0.1:{port}\"\n}}\n");

        var result = await _root.InstallAsync();

        Assert.Contains($"port {port}", result.Error);
        Assert.Contains("already in use", result.Error);
    }

    [FactWhenCommandExists("systemd-analyze")]
    public async Task Produced_unit_passes_systemd_analyze_verify()
    {
        await InstallOk();
        // verify --root needs the distribution's units (sysinit.target, ...) inside the root.
        var systemUnits = Directory.Exists("/usr/lib/systemd/system")
            ? "/usr/lib/systemd/system"
            : "/lib/systemd/system";
        var copy = await InstallScript.RunCommandAsync("cp",
            ["-r", systemUnits, Directory.CreateDirectory(_root.Under("/usr/lib/systemd")).FullName]);
        Assert.True(copy.ExitCode == 0, copy.Error);

        var verify = await InstallScript.RunCommandAsync("systemd-analyze",
            ["verify", "--root=" + _root.Root, "botengine.service"]);

        // verify exits 0 on unknown keys and bad values, printing them: any output is a finding.
        Assert.Equal((0, "", ""), (verify.ExitCode, verify.Output.Trim(), verify.Error.Trim()));
    }

    private async Task<ScriptResult> InstallOk()
    {
        var result = await _root.InstallAsync();
        Assert.True(result.ExitCode == 0, $"install.sh failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        return result;
    }
}

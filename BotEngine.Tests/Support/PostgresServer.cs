using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BotEngine.Tests.Support;

/// <summary>
/// One private PostgreSQL per test run, from Debian's binaries: initdb into a temp folder, the server a child of the test
/// process (so it is reaped; <c>pg_ctl start</c> daemonizes and left zombies on a machine whose PID 1 does not reap) on
/// a free loopback port, stopped at process exit. PostgreSQL refuses to run as root, so as root every command runs
/// as the <c>postgres</c> user that Debian's package creates (<c>runuser</c>). fsync is off: the tests kill engines,
/// never the database, so its own crash safety is not under test (synchronous_commit stays on: the engine refuses a
/// server without it, and with fsync off it costs little). Each test class takes its
/// own database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string _folder;
    private readonly string _bin;
    private readonly Process _process;

    private PostgresServer(string folder, string bin, int port, Process process)
    {
        _folder = folder;
        _bin = bin;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The highest installed PostgreSQL's bin folder, or null.</summary>
    public static string? BinFolder =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version).Select(d => Path.Combine(d.Dir, "bin")).FirstOrDefault()
            : null;

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>A new, empty database on the shared server; its Npgsql connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await GetAsync();
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return server.ConnectionString(name);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 15,
    }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = BinFolder ?? throw new InvalidOperationException(PostgresFactAttribute.MissingReason);
        RemoveLeftovers(bin);
        var folder = (await RunAsync(AsPostgres("mktemp", "-d", "/tmp/botengine-pg.XXXXXX"))).Trim();
        await File.WriteAllTextAsync(Path.Combine(folder, "owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await RunAsync(AsPostgres(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"));
        var port = FreePort();
        var start = AsPostgres(Path.Combine(bin, "postgres"), "-D", Path.Combine(folder, "data"), "-k", folder,
            "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "full_page_writes=off", "-c", "max_connections=400");
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("postgres did not start");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PostgresServer(folder, bin, port, process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        await server.WaitReadyAsync(log);
        return server;
    }

    private async Task WaitReadyAsync(System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException($"PostgreSQL did not start: {string.Join('\n', log)}", e);
            }
        }
    }

    private void Stop()
    {
        try
        {
            using var stop = Process.Start(AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"));
            stop?.WaitForExit(10_000);
            _process.WaitForExit(10_000);
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A leftover folder is removed by the next run (RemoveLeftovers).
        }
    }

    // A killed test run leaves its server and folder behind; its owner process is gone.
    private static void RemoveLeftovers(string bin)
    {
        foreach (var folder in Directory.EnumerateDirectories("/tmp", "botengine-pg.*"))
        {
            var owner = Path.Combine(folder, "owner");
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), CultureInfo.InvariantCulture, out var pid) && Alive(pid)) continue;
            using (var stop = Process.Start(AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-m", "immediate", "stop")))
            {
                stop?.WaitForExit(10_000);
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // still in use: left for a later run
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ProcessStartInfo AsPostgres(string file, params string[] arguments)
    {
        var start = Environment.IsPrivilegedProcess ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }

        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    private static async Task<string> RunAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

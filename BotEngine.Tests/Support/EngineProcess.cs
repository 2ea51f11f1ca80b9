using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BotEngine.Tests.Support;

/// <summary>The engine as its own OS process (the build output's botengine.dll), so a test can kill -9 it.</summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private EngineProcess(Process process, Uri baseAddress, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public static async Task<EngineProcess> StartAsync(string dataDirectory, FakeLineApi line, params string[] settings)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "botengine.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var argument in new[]
        {
            dll, $"--Urls=http://127.0.0.1:{port}", $"--BotEngine:DataDirectory={dataDirectory}",
            "--BotEngine:RetryBaseDelay=00:00:00.005", "--BotEngine:RetryMaxDelay=00:00:00.050",
            $"--Channels:Line:ChannelSecret={BotEngineApp.ChannelSecret}",
            $"--Channels:Line:ChannelAccessToken={line.AccessToken}", $"--Channels:Line:ApiBaseUrl={line.BaseUrl}",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var engine = new EngineProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        try
        {
            await engine.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            // The engine's last lines say why (its /healthz reason is logged on every probe).
            throw new TimeoutException($"{e.Message}; the engine's last output:\n{string.Join('\n', output.TakeLast(20))}", e);
        }

        return engine;
    }

    /// <summary>Runs the engine with <paramref name="arguments"/> (nothing else: no settings added) until it exits by
    /// itself; its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(
        string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "botengine.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"botengine {string.Join(' ', arguments)} still ran after {timeout}: {await output}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>A loopback port nobody listens on (at the time of asking).</summary>
    public static int FreeLoopbackPort() => FreePort();

    public async Task<HttpResponseMessage> PostLineAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/line") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Line-Signature", LineFixtures.Sign(BotEngineApp.ChannelSecret, body));
        return await Client.SendAsync(request);
    }

    public int Id => _process.Id;

    /// <summary>Everything the engine wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGTERM, as <c>systemctl stop</c> sends it: the engine shuts down by itself.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to end by itself; throws when it is still running after <paramref name="timeout"/>.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>SIGKILL: no shutdown code runs, as on a power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private Task WaitHealthyAsync(TimeSpan timeout) =>
        Eventually.TrueAsync(IsHealthyAsync, timeout, "the engine was not healthy");

    private async Task<bool> IsHealthyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The engine exited with code {_process.ExitCode} before it was healthy");
        }

        try
        {
            using var response = await Client.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

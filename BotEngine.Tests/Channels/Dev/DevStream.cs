using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Channels.Dev;

namespace BotEngine.Tests.Channels.Dev;

/// <summary>One open <c>/dev/api/stream</c> response, read line by line as a page would.</summary>
internal sealed class DevStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private DevStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<DevStream> OpenAsync(HttpClient client, string user)
    {
        var response = await client.GetAsync(
            new Uri($"/dev/api/stream?user={user}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new DevStream(response, await response.Content.ReadAsStreamAsync());
    }

    public static async Task PostAsync(HttpClient client, string user, string? text = null, string? data = null)
    {
        using var response = await client.PostAsJsonAsync("/dev/api/messages", new { user, text, data });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Reads lines until one matches; fails after <paramref name="timeout"/>.</summary>
    public async Task<DevEntry> NextAsync(Func<DevEntry, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("stream ended");
            if (line.StartsWith("data: ", StringComparison.Ordinal)
                && JsonSerializer.Deserialize<DevEntry>(line["data: ".Length..], DevJson.Options) is { } entry
                && match(entry))
            {
                return entry;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

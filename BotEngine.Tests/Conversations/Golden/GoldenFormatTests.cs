using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Format;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Conversations.Golden;

/// <summary>
/// Rows written by every earlier version stay readable, and the current version writes exactly its golden bytes:
/// a persisted shape that changes without a new manifest version (and an upcaster) fails here. A missing golden
/// file is written by the test, which then fails until the file is committed.
/// </summary>
public sealed class GoldenFormatTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conversations", "Golden");

    public static TheoryData<string> Readable => [.. PersistedFormat.Readable];

    public static TheoryData<string> Current => [PersistedFormat.EventApplied, PersistedFormat.ConversationState];

    [Theory]
    [MemberData(nameof(Current))]
    public void The_current_version_writes_its_golden_bytes(string manifest)
    {
        var written = PersistedFormat.Write(GoldenSamples.Expected(manifest));
        Assert.Equal(manifest, PersistedFormat.ManifestOf(GoldenSamples.Expected(manifest)));

        Assert.Equal(Convert.ToHexString(Golden(manifest, written)), Convert.ToHexString(written));
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public void Every_version_ever_written_reads_back_as_its_sample(string manifest)
    {
        var read = PersistedFormat.Read(File.ReadAllBytes(FileOf(manifest)), manifest);

        Assert.Equal(Describe(GoldenSamples.Expected(manifest)), Describe(read));
    }

    [Fact]
    public void Every_golden_file_has_a_readable_manifest()
    {
        var files = Directory.GetFiles(Folder, "*.bin").Select(Path.GetFileName).Order();

        Assert.Equal(PersistedFormat.Readable.Select(m => Path.GetFileName(FileOf(m))).Order(), files);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_its_name()
    {
        var error = Assert.ThrowsAny<Exception>(() => PersistedFormat.Read([1, 2, 3], "event-applied/99"));

        Assert.Contains("event-applied/99", error.Message, StringComparison.Ordinal);
    }

    private static string FileOf(string manifest) => Path.Combine(Folder, manifest.Replace('/', '.') + ".bin");

    // Reads the committed file (from the source tree when missing in the output: then it is written there).
    private static byte[] Golden(string manifest, byte[] written)
    {
        var path = FileOf(manifest);
        if (File.Exists(path)) return File.ReadAllBytes(path);
        var source = Path.Combine(SourceFolder(), Path.GetFileName(path));
        File.WriteAllBytes(source, written);
        Assert.Fail($"No golden file for {manifest}: wrote {source}; commit it (never rewrite an existing one)");
        return written;
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(file)!;

    private static string Describe(object value) => value switch
    {
        EventApplied e => $"{e.EventId} {e.QueueId} {State(e.State)} {Conversing.Describe(e.Messages, e.Timers)}",
        ConversationState s => $"{State(s.Bot)} " + string.Join(" ;; ",
            s.Recent.Select(e => $"{e.EventId} {e.QueueId} {Conversing.Describe(e.Messages, e.Timers)}")),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "not persisted"),
    };

    private static string State(BotState s) =>
        s.Step + " {" + string.Join(", ", s.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")) + "}";
}

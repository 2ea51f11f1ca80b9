using System.Reflection;
using System.Text.RegularExpressions;
using BotEngine.Channels;

namespace BotEngine.Tests.Channels;

/// <summary>
/// A channel is its folder under <c>BotEngine/Channels/</c> and its line in <c>ChannelRegistration.cs</c>: no other
/// source file (comments aside) names it, so deleting both removes the channel.
/// </summary>
public sealed class ChannelSeamTests
{
    // The one list of channels, allowed to name them all.
    private const string Registration = "Channels/ChannelRegistration.cs";

    private static readonly string Source = Path.Combine(Deployment.InstallScript.RepoRoot, "BotEngine");

    public static TheoryData<string> Folders => new(ChannelFolders());

    [Theory]
    [MemberData(nameof(Folders))]
    public void No_file_outside_the_channel_folder_names_it(string folder)
    {
        var words = WordsOf(folder);

        var naming = SourceFiles()
            .Where(file => !file.StartsWith($"Channels/{folder}/", StringComparison.Ordinal) && file != Registration)
            .SelectMany(file => CodeLines(file).Where(line => words.IsMatch(line.Text))
                .Select(line => $"{file}:{line.Number}: {line.Text.Trim()}"))
            .ToList();

        Assert.True(naming.Count == 0, $"{folder} is named outside Channels/{folder}/:\n{string.Join('\n', naming)}");
    }

    [Fact]
    public void The_registration_is_the_only_file_that_names_every_channel_and_it_adds_each_once()
    {
        var text = File.ReadAllText(Path.Combine(Source, Registration));

        Assert.All(ChannelFolders(), folder => Assert.True(WordsOf(folder).IsMatch(text), $"{folder} is not registered"));
    }

    [Fact]
    public void Each_folder_holds_one_channel_and_the_stored_names_stay_as_they_are()
    {
        // Stored in queue.db (bodies.channel, events.channel, lanes), persistence ids and metric labels: never renamed.
        var channels = typeof(IChannel).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IChannel).IsAssignableFrom(t))
            .ToDictionary(t => t.Namespace!, t => ((Channel)t.GetField("Id", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!).Name);

        Assert.Equal(ChannelFolders().Select(f => $"BotEngine.Channels.{f}").Order(), channels.Keys.Order());
        Assert.Equal(["dev", "line", "messenger", "telegram"], channels.Values.Order());
    }

    [Fact]
    public void The_seam_test_sees_a_name_where_one_is_left()
    {
        var words = WordsOf("Telegram");

        Assert.Matches(words, "services.AddSingleton<TelegramSecret>();");
        Assert.Matches(words, "var lane = \"telegram:42\";");
        Assert.DoesNotMatch(words, "var lane = ConversationKey.LaneOf(channel, id);");
    }

    private static IEnumerable<string> ChannelFolders() =>
        Directory.GetDirectories(Path.Combine(Source, "Channels")).Select(Path.GetFileName).OfType<string>().Order();

    /// <summary>
    /// What names a channel: its folder's namespace, the types of its folder named after it, its stored name as a string
    /// (<c>"line"</c>, <c>line:</c>, <c>/webhooks/line</c>, <c>/line</c>), its configuration section, and its
    /// platform's name when that is no everyday word.
    /// </summary>
    private static Regex WordsOf(string folder)
    {
        var name = folder.ToLowerInvariant();
        var types = Directory.GetFiles(Path.Combine(Source, "Channels", folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), @"\b(?:class|record|interface|enum|struct)\s+(\w+)")
                .Select(m => m.Groups[1].Value))
            .Where(type => type.Contains(folder, StringComparison.Ordinal)) // LineOptions, ILineApi; not a nested Kind
            .Distinct().Select(Regex.Escape);
        var platform = folder switch
        {
            "Line" => [@"\bLINE\b"],
            "Dev" => [],
            _ => new[] { $@"(?i:\b{name}\b)" },
        };
        var words = new[]
        {
            $@"\bChannels\.{folder}\b", $@"\bChannels(?::|__){folder}\b", $"\"{name}[\":]", $"/{name}\\b",
            $@"\b(?:{string.Join('|', types)})\b", $@"\bAdd{folder}\w*\(",
        }.Concat(platform);
        return new Regex(string.Join('|', words), RegexOptions.CultureInvariant);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Source, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal));

    // Comments may say why with a platform's facts (LINE's 5 messages a request); code and strings may not name one.
    private static IEnumerable<(int Number, string Text)> CodeLines(string file) =>
        File.ReadAllLines(Path.Combine(Source, file))
            .Select((text, i) => (Number: i + 1, Text: Regex.Replace(text, @"(^\s*//.*$)|(\s//\s.*$)|(<!--.*?-->)", "")))
            .Where(line => line.Text.Trim().Length > 0);
}

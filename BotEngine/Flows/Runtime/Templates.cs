using System.Text;
using System.Text.RegularExpressions;

namespace BotEngine.Flows.Runtime;

/// <summary>
/// <c>{name}</c> placeholders in texts; <c>{name|one|other}</c> writes <c>one</c> when the variable is 1 and
/// <c>other</c> otherwise ("You have sent {texts} {texts|message|messages}"); <c>{{</c> and <c>}}</c> write a brace.
/// </summary>
internal static partial class Templates
{
    public static IEnumerable<string> Variables(string text) =>
        Placeholder().Matches(text).Where(m => m.Groups["name"].Success).Select(m => m.Groups["name"].Value);

    public static string Render(string text, IReadOnlyDictionary<string, string> variables) =>
        text.Contains('{', StringComparison.Ordinal) || text.Contains('}', StringComparison.Ordinal)
            ? Placeholder().Replace(text, m => m.Value switch
            {
                "{{" => "{",
                "}}" => "}",
                _ when m.Groups["one"].Success =>
                    variables.GetValueOrDefault(m.Groups["name"].Value)?.Trim() is "1" or "-1"
                        ? m.Groups["one"].Value
                        : m.Groups["other"].Value,
                _ => variables.GetValueOrDefault(m.Groups["name"].Value, ""),
            })
            : text;

    /// <summary>Makes a value safe to place inside a template (a user's text may hold braces).</summary>
    public static string Escape(string value) =>
        new StringBuilder(value).Replace("{", "{{").Replace("}", "}}").ToString();

    [GeneratedRegex(@"\{\{|\}\}|\{(?<name>[A-Za-z_][A-Za-z0-9_.]*)(\|(?<one>[^{}|]*)\|(?<other>[^{}|]*))?\}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

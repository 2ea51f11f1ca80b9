using System.Globalization;
using System.Text.RegularExpressions;
using BotEngine.Channels;
using BotEngine.Flows.Model;

namespace BotEngine.Flows.Runtime;

/// <summary>Pure matching of inputs against triggers and captures; regexes compiled once per flow.</summary>
internal sealed class FlowMatcher
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "d.M.yyyy"];
    private readonly Dictionary<string, Regex> _regexes = new(StringComparer.Ordinal);

    public FlowMatcher(FlowDefinition flow)
    {
        foreach (var t in FlowWalk.Transitions(flow).Where(t => t.On.Kind == Trigger.Regex))
        {
            _regexes.TryAdd(t.On.Values[0], new Regex(t.On.Values[0], FlowBot.RegexOptions, FlowBot.RegexTimeout));
        }
        foreach (var c in flow.States.Values.Select(s => s.Capture).OfType<CaptureSpec>().Where(c => c.Pattern is not null))
        {
            _regexes.TryAdd(Anchored(c.Pattern!), new Regex(Anchored(c.Pattern!), FlowBot.RegexOptions, FlowBot.RegexTimeout));
        }
    }

    /// <summary>True when the trigger matches; a regex's named groups are added to <paramref name="variables"/>.</summary>
    public bool Matches(Trigger trigger, ConversationInput input, Dictionary<string, string> variables)
    {
        var text = input.Kind == ConversationInput.TextKind ? (input.Text ?? "").Trim() : null;
        switch (trigger.Kind)
        {
            case Trigger.Text:
                return text is not null && trigger.Values.Any(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
            case Trigger.Keywords:
                var words = $" {Words(text ?? "")} ";
                return text is not null && trigger.Values.Any(k => words.Contains($" {Words(k)} ", StringComparison.Ordinal));
            case Trigger.Regex:
                return text is not null && Groups(_regexes[trigger.Values[0]].Match(text), variables);
            case Trigger.Postback:
                return input.Kind == ConversationInput.PostbackKind && trigger.Values.Contains(input.Data ?? "");
            case Trigger.Event:
                return string.Equals(input.Kind, trigger.Values[0], StringComparison.OrdinalIgnoreCase);
            case Trigger.Timer:
                return input.Kind == FlowBot.TimerKind && input.Data == trigger.Values[0];
            default:
                return trigger.Kind == Trigger.Any && input.Kind is ConversationInput.TextKind or ConversationInput.PostbackKind;
        }
    }

    /// <summary>The value to store when <paramref name="text"/> is a valid answer to the capture, else null.</summary>
    public string? Capture(CaptureSpec capture, string text, Dictionary<string, string> variables)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        switch (capture.Type)
        {
            case CaptureSpec.NumberType:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)) return null;
                if (number < capture.Min || number > capture.Max) return null;
                return number.ToString(CultureInfo.InvariantCulture);
            case CaptureSpec.DateType:
                return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : null;
            case CaptureSpec.ChoiceType:
                return capture.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
            case CaptureSpec.RegexType:
                return Groups(_regexes[Anchored(capture.Pattern!)].Match(text), variables) ? text : null;
            default:
                return text;
        }
    }

    private static string Anchored(string pattern) => $@"\A(?:{pattern})\z";

    private static bool Groups(Match match, Dictionary<string, string> variables)
    {
        if (!match.Success) return false;
        foreach (var group in match.Groups.Values.Where(g => g.Success && !int.TryParse(g.Name, out _)))
        {
            variables[group.Name] = group.Value;
        }
        return true;
    }

    // Lower-case words separated by single spaces, so "Book a TABLE!" contains the keyword "table".
    private static string Words(string text) => string.Join(' ',
        new string([.. text.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

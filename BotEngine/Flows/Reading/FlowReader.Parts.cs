using BotEngine.Flows.Model;

namespace BotEngine.Flows.Reading;

internal sealed partial class FlowReader
{
    private const int MaxMessages = 5;     // LINE sends at most 5 messages per request
    private const int MaxQuickReplies = 13;
    private const int MaxLabel = 20;       // LINE action labels

    private Trigger? ReadTrigger(JsonItem item, string what)
    {
        var where = $"'on' of {what}";
        if (_read.Object(item, where, [.. Trigger.Kinds]) is not { } obj) return null;
        if (obj.Props.Count != 1)
        {
            _read.Error(obj.Pos, $"{where} needs exactly one of: {string.Join(", ", Trigger.Kinds)}");
            return null;
        }
        var prop = obj.Props[0];
        if (prop.Name == Trigger.Any)
        {
            if (prop.Value is not JsonLit { Raw: "true" }) _read.Error(prop.Value.Pos, $"'any' in {where} must be true");
            return new Trigger(Trigger.Any, [], prop.Pos);
        }
        var values = _read.Strings(prop.Value, $"'{prop.Name}' in {where}");
        if (values.Count == 0) _read.Error(prop.Value.Pos, $"'{prop.Name}' in {where} needs at least one value");
        if (prop.Name is Trigger.Regex or Trigger.Event or Trigger.Timer && values.Count > 1)
        {
            _read.Error(prop.Value.Pos, $"'{prop.Name}' in {where} takes one string");
        }
        if (prop.Name == Trigger.Event && values.Count > 0 && values[0] is "text" or "postback" or "timer")
        {
            _read.Error(prop.Value.Pos, $"use the '{values[0]}' trigger, not an event, for {values[0]} input");
        }
        return new Trigger(prop.Name, values, prop.Value.Pos);
    }

    private IReadOnlyList<MessageSpec> ReadMessages(JsonItem? item, string what)
    {
        var items = item is JsonStr or JsonObj ? [item] : _read.Array(item, $"'say' in {what}");
        if (items.Count > MaxMessages)
        {
            _read.Error(item!.Pos, $"'say' in {what} has {items.Count} messages; one answer holds at most {MaxMessages} (the strictest channel's limit)");
        }
        return [.. items.Select(m => ReadMessage(m, what)).OfType<MessageSpec>()];
    }

    private MessageSpec? ReadMessage(JsonItem item, string what)
    {
        if (item is JsonStr s) return s.Value.Length > 0 ? new MessageSpec(s.Value, [], null, s.Pos) : Empty(s);
        var where = $"a message of {what}";
        if (_read.Object(item, where, "text", "quickReplies", "buttons", "confirm") is not { } obj) return null;
        var text = _read.String(obj, "text", where, required: true);
        var quick = _read.Array(obj["quickReplies"], $"'quickReplies' in {where}")
            .Select(a => ReadAction(a, $"a quick reply of {where}")).OfType<ActionSpec>().ToList();
        if (quick.Count > MaxQuickReplies)
        {
            _read.Error(obj["quickReplies"]!.Pos, $"{where} has {quick.Count} quick replies; at most {MaxQuickReplies} are shown (the strictest channel's limit)");
        }
        if (obj["buttons"] is not null && obj["confirm"] is not null)
        {
            _read.Error(obj.Pos, $"{where} has both 'buttons' and 'confirm'; choose one");
        }
        var template = obj["buttons"] is { } b ? ReadTemplate(b, "buttons", where)
            : obj["confirm"] is { } c ? ReadTemplate(c, "confirm", where) : null;
        return text is null ? null : new MessageSpec(text, quick, template, obj.Pos);

        MessageSpec? Empty(JsonStr str)
        {
            _read.Error(str.Pos, $"a message of {what} is empty");
            return null;
        }
    }

    private TemplateSpec? ReadTemplate(JsonItem item, string kind, string what)
    {
        var where = $"'{kind}' in {what}";
        if (_read.Object(item, where, kind == "buttons" ? ["title", "actions"] : ["actions"]) is not { } obj) return null;
        var actions = _read.Array(obj["actions"], $"'actions' in {where}")
            .Select(a => ReadAction(a, $"an action of {where}")).OfType<ActionSpec>().ToList();
        var (min, max) = kind == "buttons" ? (1, 4) : (2, 2);
        if (actions.Count < min || actions.Count > max)
        {
            _read.Error(obj.Pos, $"{where} needs {(min == max ? $"exactly {min}" : $"{min} to {max}")} actions, not {actions.Count}");
        }
        return new TemplateSpec(kind, _read.String(obj, "title", where), actions, obj.Pos);
    }

    private ActionSpec? ReadAction(JsonItem item, string what)
    {
        ActionSpec? action = item is JsonStr { Value.Length: > 0 } s ? new ActionSpec(s.Value, s.Value, null, s.Pos) : null;
        if (action is null && _read.Object(item, what, "label", "text", "data") is { } obj)
        {
            var label = _read.String(obj, "label", what, required: true);
            var text = _read.String(obj, "text", what);
            var data = _read.String(obj, "data", what);
            if (text is not null && data is not null) _read.Error(obj.Pos, $"{what} has both 'text' and 'data'; choose one");
            if (label is not null) action = new ActionSpec(label, text ?? (data is null ? label : null), data, obj.Pos);
        }
        if (action is { Label.Length: > MaxLabel })
        {
            _read.Error(action.Pos, $"label \"{action.Label}\" of {what} is longer than {MaxLabel} characters (the strictest channel's limit)");
        }
        return action;
    }

    private CaptureSpec? ReadCapture(JsonItem item, string what)
    {
        if (_read.Object(item, what, ["into", "type", "choices", "pattern", "min", "max", "retry", .. TransitionActions])
            is not { } obj)
        {
            return null;
        }
        var into = _read.String(obj, "into", what, required: true);
        var type = _read.String(obj, "type", what) ?? CaptureSpec.TextType;
        if (!CaptureSpec.Types.Contains(type))
        {
            _read.Error(obj["type"]!.Pos, $"'type' in {what} must be one of: {string.Join(", ", CaptureSpec.Types)}");
        }
        var choices = _read.Strings(obj["choices"], $"'choices' in {what}");
        if (type == CaptureSpec.ChoiceType && choices.Count == 0) _read.Error(obj.Pos, $"{what} of type choice needs 'choices'");
        var pattern = _read.String(obj, "pattern", what);
        if (type == CaptureSpec.RegexType && pattern is null) _read.Error(obj.Pos, $"{what} of type regex needs 'pattern'");
        var retry = ReadMessages(obj["retry"], what);
        if (retry.Count == 0 && type != CaptureSpec.TextType)
        {
            _read.Error(obj.Pos, $"{what} needs 'retry', the message that re-asks after a bad answer");
        }
        var then = ReadActions(obj, FlowTransition.Create(new Trigger(Trigger.Text, [], obj.Pos), obj.Pos), what);
        return into is null ? null : new CaptureSpec(into, type, choices, pattern,
            _read.Decimal(obj, "min", what), _read.Decimal(obj, "max", what), retry, then, obj.Pos);
    }
}

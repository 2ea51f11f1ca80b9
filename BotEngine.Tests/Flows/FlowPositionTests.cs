namespace BotEngine.Tests.Flows;

/// <summary>`flows check` points at the value that is wrong, so an editor jumps to the typo.</summary>
public sealed class FlowPositionTests
{
    [Fact]
    public void A_goto_typo_is_reported_at_its_value_not_at_the_capture()
    {
        var set = FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "ask", "fallback": "ask",
              "states": {
                "ask": { "say": "Name?", "capture": { "into": "name", "type": "text", "goto": "dnoe" } },
                "done": { "say": "Hi {name}", "on": [ { "on": { "any": true }, "goto": "ask" } ] }
              }
            }
            """);

        Assert.Contains(set.Errors, e => (e.Pos.Line, e.Pos.Column) == (4, 83) && e.Message.Contains("'dnoe'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_start_typo_is_reported_at_its_value()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1,
              "fallback": "a", "start": "b",
              "states": { "a": { "on": [ { "on": { "any": true }, "goto": "a" } ] } }
            }
            """), 3, 29, "'start' names 'b'");
    }

    [Fact]
    public void A_trailing_comma_is_a_syntax_error_with_its_position()
    {
        var set = FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": { "a": { "on": [ { "on": { "any": true }, "goto": "a" }, ] } }
            }
            """);

        var error = Assert.Single(set.Errors);
        Assert.Equal(3, error.Pos.Line);
        Assert.InRange(error.Pos.Column, 67, 70);
        Assert.StartsWith("JSON syntax", error.Message, StringComparison.Ordinal);
    }
}

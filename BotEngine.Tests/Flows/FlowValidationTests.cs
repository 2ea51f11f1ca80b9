namespace BotEngine.Tests.Flows;

public sealed class FlowValidationTests
{
    [Fact]
    public void Repo_flows_load_without_errors()
    {
        var set = BotEngine.Flows.FlowLoader.Load(FlowText.RepoFlows, new HashSet<string> { "booking-reference" });

        Assert.Empty(set.Errors);
        Assert.Contains(set.Flows, f => f.Id == "booking" && f.Version >= 1);
    }

    [Fact]
    public void Repo_flows_reference_the_published_schema()
    {
        foreach (var file in Directory.GetFiles(FlowText.RepoFlows, "*.json"))
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            var schema = Path.Combine(FlowText.RepoFlows, json.RootElement.GetProperty("$schema").GetString()!);
            Assert.True(File.Exists(schema), $"{file}: $schema {schema} does not exist");
        }
    }

    [Fact]
    public void Json_syntax_error_names_line_and_column()
    {
        var set = FlowText.Check("""
            {
              "id": "x",
              "version": 1,,
            }
            """);

        var error = Assert.Single(set.Errors);
        Assert.Equal((3, 16), (error.Pos.Line, error.Pos.Column));
        Assert.StartsWith("JSON syntax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_naming_a_missing_state_is_an_unknown_state()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "nope", "fallback": "a",
              "states": { "a": { "say": "hi" } }
            }
            """), 2, 37, "unknown state: 'start' names 'nope'");
    }

    [Fact]
    public void State_no_transition_leads_to_is_unreachable()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": {
                "a": { "on": [ { "on": { "text": "hi" }, "say": "hello" } ] },
                "lost": { "say": "nobody comes here" }
              }
            }
            """), 5, 5, "unreachable state: no transition leads to 'lost'");
    }

    [Fact]
    public void Goto_to_a_missing_state_is_a_transition_to_nowhere()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": {
                "a": { "on": [ { "on": { "text": "go" }, "goto": "b" } ] }
              }
            }
            """), 4, 54, "transition to nowhere: 'goto' names 'b'");
    }

    [Fact]
    public void State_defined_twice_is_a_duplicate_id()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": {
                "a": { "say": "one" },
                "a": { "say": "two" }
              }
            }
            """), 5, 5, "duplicate id: property 'a'");
    }

    [Fact]
    public void Two_files_with_the_same_flow_id_are_a_duplicate_id()
    {
        var flow = """{ "id": "x", "version": 1, "start": "a", "fallback": "a", "states": { "a": { "say": "hi" } } }"""u8;

        var set = BotEngine.Flows.FlowLoader.Check("test", [("one.json", flow.ToArray()), ("two.json", flow.ToArray())], null);

        var error = Assert.Single(set.Errors);
        Assert.Equal(("two.json", 1, 1), (error.Pos.File, error.Pos.Line, error.Pos.Column));
        Assert.Contains("duplicate id: flow 'x' is also defined in one.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pattern_that_does_not_compile_is_a_bad_regex()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": {
                "a": { "on": [ { "on": { "regex": "([a-z" }, "say": "hm" } ] }
              }
            }
            """), 4, 39, "bad regex \"([a-z\"");
    }

    [Fact]
    public void Placeholder_nothing_captures_is_reported_where_the_message_is()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": {
                "a": { "say": "Hello {name}, you are {texts} messages in",
                       "capture": { "into": "age", "type": "number", "retry": "a number please", "say": "age {age}" } }
              }
            }
            """), 4, 19, "template variable '{name}' is never captured");
    }

    [Fact]
    public void Unknown_property_and_wrong_type_are_reported_with_their_position()
    {
        var set = FlowText.Check("""
            {
              "id": "x", "version": "one", "start": "a", "fallback": "a",
              "states": { "a": { "sya": "typo" } }
            }
            """);

        Assert.Collection(set.Errors,
            e => Assert.Equal((2, 25, true), (e.Pos.Line, e.Pos.Column, e.Message.Contains("'version'", StringComparison.Ordinal))),
            e => Assert.Equal((3, 22, true), (e.Pos.Line, e.Pos.Column, e.Message.Contains("unknown property 'sya'", StringComparison.Ordinal))));
    }

    [Fact]
    public void Called_step_that_is_not_registered_is_reported()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": { "a": { "on": [ { "on": { "any": true }, "call": "lookup" } ] } }
            }
            """), 3, 63, "unknown step 'lookup'");
    }

    [Fact]
    public void Reminder_without_a_timer_transition_is_reported()
    {
        FlowText.AssertError(FlowText.Check("""
            {
              "id": "x", "version": 1, "start": "a", "fallback": "a",
              "states": { "a": { "on": [ { "on": { "any": true }, "remind": { "timer": "r", "after": "00:01:00" } } ] } }
            }
            """), 3, 65, "timer 'r' is set but no transition handles");
    }
}

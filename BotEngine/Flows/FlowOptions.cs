using Microsoft.Extensions.Options;

namespace BotEngine.Flows;

/// <summary>Which conversation the engine runs and where flow files live (section <c>Flows</c>).</summary>
public sealed class FlowOptions
{
    public const string Section = "Flows";
    public const string FlowPrefix = "flow:";
    public const string CodePrefix = "code:";

    /// <summary>
    /// Folder of <c>*.json</c> flow files; default <c>{BotEngine:DataDirectory}/flows</c>. When it is missing or holds
    /// no flow file, the flows built into the binary (the repo's <c>data/flows</c>) are used.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary><c>flow:{id}</c> runs the flow file with that id; <c>code:{name}</c> a conversation written in C#.</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^(flow|code):.+$",
        ErrorMessage = "Flows:Bot must look like flow:{id} or code:{name}")]
    public string Bot { get; set; } = FlowPrefix + "booking";
}

[OptionsValidator]
internal sealed partial class FlowOptionsValidator : IValidateOptions<FlowOptions>;

using BotEngine.Flows.Model;
using BotEngine.Flows.Reading;

namespace BotEngine.Flows;

/// <summary>The flows read from a folder (or the built-in ones), each validated, or every error found.</summary>
/// <param name="Source">The folder read, or <c>built-in</c>.</param>
internal sealed record FlowSet(string Source, IReadOnlyList<FlowDefinition> Flows, IReadOnlyList<FlowError> Errors)
{
    public const string BuiltIn = "built-in";

    public FlowDefinition? Find(string id) => Flows.FirstOrDefault(f => f.Id == id);
}

internal static class FlowLoader
{
    private const string ResourcePrefix = "flows/";

    /// <summary>Reads <c>*.json</c> in <paramref name="directory"/>, or the built-in flows when it has none.</summary>
    public static FlowSet Load(string? directory, IReadOnlySet<string>? knownSteps = null)
    {
        var files = directory is not null && Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
                .Select(f => (Name: Shown(f), Bytes: File.ReadAllBytes(f)))
                .ToList()
            : [];
        var source = files.Count > 0 ? directory! : FlowSet.BuiltIn;
        if (files.Count == 0) files = [.. BuiltInFiles()];
        return Check(source, files, knownSteps);
    }

    public static FlowSet Check(string source, IEnumerable<(string Name, byte[] Bytes)> files, IReadOnlySet<string>? knownSteps)
    {
        var errors = new List<FlowError>();
        var flows = new List<FlowDefinition>();
        foreach (var (name, bytes) in files)
        {
            var fileErrors = new List<FlowError>();
            if (FlowReader.Read(name, bytes, fileErrors) is { } flow)
            {
                fileErrors.AddRange(FlowValidator.Validate(flow, knownSteps));
                if (flows.Find(f => f.Id == flow.Id) is { } first)
                {
                    fileErrors.Add(new FlowError(flow.Pos, $"duplicate id: flow '{flow.Id}' is also defined in {first.Pos.File}"));
                }
                if (fileErrors.Count == 0) flows.Add(flow);
            }
            errors.AddRange(fileErrors);
        }
        return new FlowSet(source, flows, errors);
    }

    // Relative to the working directory when the file is below it (as a user typed it), else the full path.
    private static string Shown(string file)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(file) : relative;
    }

    private static IEnumerable<(string Name, byte[] Bytes)> BuiltInFiles()
    {
        var assembly = typeof(FlowLoader).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return ($"(built-in) {name}", copy.ToArray());
        }
    }
}

using System.Runtime.Versioning;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Deployment;

/// <summary>A temporary folder that install.sh treats as <c>/</c> (<c>--root</c>), and fake binaries.</summary>
[UnsupportedOSPlatform("windows")] // install.sh, bash and Unix file modes
internal sealed class InstallRoot : IDisposable
{
    private readonly TempDirectory _temp = new();

    public InstallRoot()
    {
        Root = Directory.CreateDirectory(Path.Combine(_temp.Path, "root")).FullName;
        FakeBinary = WriteFakeBinary("v1");
    }

    public string Root { get; }

    public string FakeBinary { get; }

    public string Binary => Under("/opt/botengine/botengine");
    public string Config => Under("/etc/botengine/appsettings.json");
    public string Secrets => Under("/etc/botengine/botengine.env");
    public string DataDirectory => Under("/var/lib/botengine");
    public string Unit => Under("/etc/systemd/system/botengine.service");

    public string Under(string absolutePath) => Path.Combine(Root, absolutePath.TrimStart('/'));

    public string WriteFakeBinary(string version)
    {
        var path = Path.Combine(_temp.Path, $"botengine-{version}");
        File.WriteAllText(path, $"#!/bin/sh\necho fake botengine {version}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public Task<ScriptResult> InstallAsync(params string[] extra) =>
        InstallScript.RunAsync(["--root", Root, "--binary", FakeBinary, .. extra]);

    /// <summary>Every path under the root with mode, size, write time and link target.</summary>
    public IReadOnlyList<string> Snapshot() =>
        [.. new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(entry => string.Join(' ', Path.GetRelativePath(Root, entry.FullName), entry.UnixFileMode,
                entry is FileInfo file ? file.Length : -1, entry.LastWriteTimeUtc.Ticks, entry.LinkTarget))
            .Order(StringComparer.Ordinal)];

    public void Dispose() => _temp.Dispose();
}

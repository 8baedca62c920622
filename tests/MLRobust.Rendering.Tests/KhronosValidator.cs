using System.Diagnostics;

namespace MLRobust.Rendering.Tests;

/// <summary>
/// The Khronos glTF validator (npm package gltf-validator), installed once into a cache folder under
/// the temp path. When Node/npm are missing or the install fails (no registry), tests using it are skipped
/// with the reason.
/// </summary>
internal static class KhronosValidator
{
    private const string Package = "gltf-validator@2.0.0-dev.3.10";
    private static readonly string s_folder = Path.Combine(Path.GetTempPath(), "mlrobust-gltf-validator");
    private static readonly Lazy<string?> s_unavailable = new(Install);

    /// <summary>Null when the validator can run, else why not.</summary>
    public static string? Unavailable => s_unavailable.Value;

    private static string? Install()
    {
        if (File.Exists(Path.Combine(s_folder, "node_modules", "gltf-validator", "package.json"))) return Which("node") is null ? "node is not installed" : null;
        if (Which("node") is null || Which("npm") is null) return "Node.js/npm are not installed, so the Khronos glTF validator cannot run";
        Directory.CreateDirectory(s_folder);
        var (code, output) = Run("npm", s_folder, TimeSpan.FromSeconds(240), "install", "--no-audit", "--no-fund", "--silent", Package);
        return code == 0 ? null : $"npm install {Package} failed (exit {code}): {output.Trim()}";
    }

    /// <summary>Runs validateBytes on each file; returns (errors, warnings, messages) per file.</summary>
    public static Dictionary<string, (int Errors, int Warnings, string Messages)> Validate(IEnumerable<string> files)
    {
        var script = Path.Combine(s_folder, "validate.js");
        File.WriteAllText(script, """
            const v = require('gltf-validator');
            const fs = require('fs');
            (async () => {
              for (const f of process.argv.slice(2)) {
                const r = await v.validateBytes(new Uint8Array(fs.readFileSync(f)));
                console.log([f, r.issues.numErrors, r.issues.numWarnings, JSON.stringify(r.issues.messages)].join('\t'));
              }
            })().catch(e => { console.error(e); process.exit(3); });
            """);
        var (code, output) = Run("node", s_folder, TimeSpan.FromSeconds(60), [script, .. files]);
        Assert.True(code == 0, $"the validator failed (exit {code}): {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(p => p.Length == 4)
            .ToDictionary(p => p[0], p => (int.Parse(p[1]), int.Parse(p[2]), p[3]));
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static (int Code, string Output) Run(string program, string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact skipped, with the reason, when the Khronos validator cannot run here.</summary>
public sealed class KhronosValidatorFactAttribute : FactAttribute
{
    public KhronosValidatorFactAttribute()
    {
        if (KhronosValidator.Unavailable is { } reason) Skip = reason;
    }
}

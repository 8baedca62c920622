using System.Diagnostics;
using System.Text.Json;

namespace MLRobust.Benchmarks;

/// <summary>Runs a baseline script with Debian's PyTorch on this machine and parses its JSON line.</summary>
internal static class PythonBaseline
{
    internal static JsonElement Run(string script, params object[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "python", script);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        foreach (var a in arguments) psi.ArgumentList.Add(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} failed: {stderr}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}

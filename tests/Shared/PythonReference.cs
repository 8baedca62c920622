using MLRobust.TestSupport;
using System.Diagnostics;
using System.Globalization;

namespace MLRobust.TestSupport;

/// <summary>Runs a script with Debian's /usr/bin/python3 (python3-torch, PIL, numpy; installed by build.sh) to
/// make fixtures and compute independent reference values. Linked into the test projects that need it.
/// The script prints whitespace-separated numbers, or any text; files it needs pass through a temporary folder.</summary>
internal static class PythonReference
{
    internal const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs the script and returns its standard output; fails the test with Python's
    /// error output when it exits non-zero.</summary>
    internal static string Run(string script, string? workingDirectory = null, int timeoutMs = 120_000)
    {
        if (!File.Exists(Interpreter))
            throw new InvalidOperationException($"{Interpreter} is missing: install python3-torch (./build.sh does) to run the reference tests.");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add("-");
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the python reference script timed out");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python reference script failed ({process.ExitCode}):\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Runs the script and parses every whitespace-separated token of its output as a number.</summary>
    internal static double[] Numbers(string script, string? workingDirectory = null)
        => Run(script, workingDirectory)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>Formats values as a Python list literal (round-trippable).</summary>
    internal static string List(IEnumerable<float> values)
        => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    internal static string List(IEnumerable<double> values)
        => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    internal static string List(IEnumerable<long> values)
        => "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}

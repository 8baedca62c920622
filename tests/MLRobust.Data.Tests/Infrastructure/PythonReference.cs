using System.Diagnostics;
using System.Globalization;

namespace MLRobust.Data.Tests;

/// <summary>Runs a script with Debian's /usr/bin/python3 (PIL, numpy, torch) to make fixtures and independent
/// reference values. The script runs in <c>workingDirectory</c>; its standard output is returned.</summary>
internal static class PythonReference
{
    internal const string Interpreter = "/usr/bin/python3";

    internal static string Run(string script, string? workingDirectory = null, int timeoutMs = 120_000)
    {
        if (!File.Exists(Interpreter))
            throw new InvalidOperationException($"{Interpreter} is missing: install python3-pil and python3-numpy to run the image reference tests.");
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

    internal static double[] Numbers(string script, string? workingDirectory = null)
        => Run(script, workingDirectory)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();
}

using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLRobust.Cli.Diagnostics;
using MLRobust.Cli.Hosting;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary><c>mlrobust info [--json]</c>: versions, CPU threads and CUDA devices, to check an
/// installation (for example that a CUDA libtorch was picked up).</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        // Output goes to a terminal or a file, never into HTML: keep '+' in "0.1.0+abc1234" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the information as JSON, for scripts." };
        var command = new Command("info", "Show the versions of MLRobust and libtorch, CPU threads, CUDA devices, OS and .NET runtime.")
        {
            json,
        };
        command.SetAction(parseResult =>
        {
            var info = SystemInfo.Collect();
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(info, s_json));
            else
                Terminal.For(output).Write(ToTable(info));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table ToTable(SystemInfo info)
    {
        var table = new Table().Title("MLRobust").AddColumn("Component").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        Row("MLRobust", info.MLRobustVersion);
        Row("TorchSharp", info.TorchSharpVersion);
        Row("libtorch", info.LibtorchVersion);
        Row("oneDNN", info.OneDnn);
        Row("native allocator", info.NativeAllocator);
        Row("CPU threads", $"{info.CpuThreads} (of {info.LogicalProcessors} logical processors)");
        Row("CUDA", info.CudaAvailable ? $"available, {info.CudaDeviceCount} device(s)" : "not available");
        Row("cuDNN", info.CudnnAvailable ? "available" : "not available");
        Row("OS", $"{info.Os}, {info.Architecture}");
        Row(".NET", info.Runtime);
        return table;
    }
}

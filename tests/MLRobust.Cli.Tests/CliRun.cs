namespace MLRobust.Cli.Tests;

/// <summary>The result of running the CLI in-process.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    internal string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    internal static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    internal static CliRun Of(System.CommandLine.RootCommand root, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Hosting.CommandRunner.Run(root, args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}

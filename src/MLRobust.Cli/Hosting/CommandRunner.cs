using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace MLRobust.Cli.Hosting;

/// <summary>Parses and invokes a command line, and turns every failure into an exit code and a short
/// message: parse errors and user errors become one line on stderr (exit 1), anything else a message
/// and a hint (exit 2). No exception escapes, so the process never dies with a stack trace.</summary>
internal static class CommandRunner
{
    /// <summary>Set to 1 to print stack traces of internal errors.</summary>
    internal const string DebugVariable = "MLROBUST_DEBUG";

    internal static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        try
        {
            var parseResult = root.Parse(args);
            if (parseResult.Action is ParseErrorAction)
            {
                var messages = string.Join(" ", parseResult.Errors.Select(e => OneLine(e.Message)));
                error.WriteLine($"error: {messages} See '{CommandPath(parseResult)} --help'.");
                return ExitCodes.UserError;
            }

            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // Our own handler below maps exceptions to exit codes 1 and 2.
                EnableDefaultExceptionHandler = false,
            };
            return parseResult.Invoke(configuration);
        }
        catch (Exception thrown)
        {
            var e = Unwrap(thrown);
            if (IsUserError(e))
            {
                error.WriteLine($"error: {OneLine(e.Message)}");
                return ExitCodes.UserError;
            }

            error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
                error.WriteLine(thrown.ToString());
            else
                error.WriteLine($"hint: this is a bug in MLRobust or a broken installation. 'mlrobust info' checks the installation; " +
                                $"rerun with {DebugVariable}=1 for the stack trace.");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Input the user controls: our own user errors and the .NET exceptions that argument
    /// validation, file access and parsing throw.</summary>
    private static bool IsUserError(Exception e) => e is UserErrorException
        or ArgumentException
        or FileNotFoundException
        or DirectoryNotFoundException
        or FormatException;

    // Static constructors and reflection wrap the exception that matters.
    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TypeInitializationException { InnerException: { } inner }: e = inner; continue;
                case TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1: e = aggregate.InnerExceptions[0]; continue;
                default: return e;
            }
        }
    }

    private static string OneLine(string message)
        => string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result != null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "mlrobust" : result.Command.Name);
        return string.Join(" ", names);
    }
}

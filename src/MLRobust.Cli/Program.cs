using System.CommandLine;
using MLRobust.Cli.Commands;
using MLRobust.Cli.Hosting;

namespace MLRobust.Cli;

/// <summary>The <c>mlrobust</c> command line: which commands exist, and the entry point.</summary>
internal static class Program
{
    // To add a command, write Commands/XxxCommand.cs with `internal static Command Create()` and list it here.
    private static readonly Func<Command>[] s_commands =
    [
        InfoCommand.Create,
        TrainCommand.Create,
        EvaluateCommand.Create,
        RenderCommand.Create,
        AttackCommand.Create,
        AugmentCommand.Create,
        DemoCommand.Create,
        ReportCommand.Create,
        ExplainCommand.Create,
    ];

    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("MLRobust: robust image classification on libtorch, in the ML.NET programming model.")
        {
            // The assembly is MLRobust.Cli; the command users type is mlrobust.
            HelpName = "mlrobust",
        };
        foreach (var create in s_commands) root.Subcommands.Add(create());
        // Without an action of its own the root reports "Required command was not provided" next to
        // every unknown-command error; this keeps each error to what the user typed.
        root.SetAction(ThrowNoCommand);
        return root;
    }

    private static int ThrowNoCommand(ParseResult parseResult)
        => throw new UserErrorException("no command given. See 'mlrobust --help' for the commands.");

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Everything Main does, with the output streams passed in so tests can run it in-process.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error)
        => CommandRunner.Run(CreateRootCommand(), args, output, error);
}

using Spectre.Console;

namespace MLRobust.Cli.Hosting;

/// <summary>Spectre.Console over a command's output writer. Colours and cursor movement only when the
/// writer is the real console attached to a terminal: redirected output, pipes and test writers get
/// plain text, whatever TERM says.</summary>
internal static class Terminal
{
    internal static IAnsiConsole For(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }
}

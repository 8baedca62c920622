namespace MLRobust.Cli.Hosting;

/// <summary>Thrown by a command when the user's input is wrong (an argument, a file, a combination of
/// options). The CLI prints the message on one line and exits with <see cref="ExitCodes.UserError"/>.</summary>
internal sealed class UserErrorException : Exception
{
    internal UserErrorException(string message) : base(message) { }

    internal UserErrorException(string message, Exception innerException) : base(message, innerException) { }
}

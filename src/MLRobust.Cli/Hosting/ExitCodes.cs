namespace MLRobust.Cli.Hosting;

/// <summary>The process exit codes of <c>mlrobust</c>; scripts rely on them.</summary>
internal static class ExitCodes
{
    internal const int Ok = 0;

    /// <summary>Bad arguments or bad input files: the user can fix it.</summary>
    internal const int UserError = 1;

    /// <summary>A bug in MLRobust or a broken installation.</summary>
    internal const int InternalError = 2;
}

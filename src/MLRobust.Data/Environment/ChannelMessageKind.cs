namespace MLRobust.ML;

/// <summary>The importance of a log message.</summary>
public enum ChannelMessageKind
{
    Trace = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}

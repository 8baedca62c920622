namespace MLRobust.ML;

/// <summary>A message a component logged through its <see cref="MLContext"/>.</summary>
public sealed class LoggingEventArgs : EventArgs
{
    public LoggingEventArgs(string message, ChannelMessageKind kind = ChannelMessageKind.Info, string source = "MLContext")
    {
        RawMessage = message ?? "";
        Kind = kind;
        Source = source ?? "";
        Message = $"[Source={Source}, Kind={Kind}] {RawMessage}";
    }

    /// <summary>The message with its source and kind: <c>[Source=X, Kind=Info] text</c>.</summary>
    public string Message { get; }

    public string RawMessage { get; }
    public ChannelMessageKind Kind { get; }
    public string Source { get; }
}

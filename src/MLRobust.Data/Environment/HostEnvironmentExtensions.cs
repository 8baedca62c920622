namespace MLRobust.ML;

/// <summary>Short forms of <see cref="IHostEnvironment.WriteLog"/>.</summary>
public static class HostEnvironmentExtensions
{
    public static void Trace(this IHostEnvironment env, string source, string message) => env.WriteLog(ChannelMessageKind.Trace, source, message);
    public static void Info(this IHostEnvironment env, string source, string message) => env.WriteLog(ChannelMessageKind.Info, source, message);
    public static void Warning(this IHostEnvironment env, string source, string message) => env.WriteLog(ChannelMessageKind.Warning, source, message);
    public static void Error(this IHostEnvironment env, string source, string message) => env.WriteLog(ChannelMessageKind.Error, source, message);

    /// <summary>A <see cref="Random"/> seeded from the environment's seed stream.</summary>
    public static Random CreateRandom(this IHostEnvironment env) => new(env.NextSeed());
}

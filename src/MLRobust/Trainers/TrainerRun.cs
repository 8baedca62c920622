using MLRobust.MLNet;
using Microsoft.ML;
using MLRobust.Training;

namespace MLRobust.Trainers;

/// <summary>Fills in what an ML.NET trainer takes from its context: seed, device, cancellation and logging of progress.</summary>
internal static class TrainerRun
{
    internal static void Prepare(RobustEnvironment env, TrainingOptions options, string trainer)
    {
        options.Seed ??= env.NextSeed();
        options.Device = env.Device;
        options.AliveCheck = env.CheckAlive;
        var user = options.Progress;
        options.Progress = p =>
        {
            env.Info(trainer, p.ToString());
            user?.Invoke(p);
        };
        env.Info(trainer, $"training on {options.Device} with seed {options.Seed}");
    }
}

using System.Text.Json;
using MLRobust.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// A training checkpoint in a folder: <c>checkpoint.json</c> (which stage and iteration, the sample streams' positions and a
/// fingerprint of the model) pointing at a safetensors file with the model's weights ("model.*") and the current stage's
/// optimizer state ("optimizer.*"). Both are written atomically (temporary file, then rename), the weights first, so the
/// JSON always names a complete file; the previous weights file is deleted afterwards.
/// </summary>
public sealed class TrainingCheckpoint
{
    public const string StateFileName = "checkpoint.json";
    private const string Format = "mlrobust-training-checkpoint";
    private const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>The JSON part.</summary>
    public sealed record State(string Format, int Version, string Model, string Fingerprint, int Stage, string StageName, int Iteration,
        string WeightsFile, Dictionary<string, long> Positions);

    private TrainingCheckpoint(string directory, State state)
    {
        Directory = directory;
        Info = state;
    }

    public string Directory { get; }
    public State Info { get; }

    /// <summary>The checkpoint in <paramref name="directory"/>, or null when there is none. Throws when it belongs to another
    /// model (<paramref name="model"/>, <paramref name="fingerprint"/>) or is damaged.</summary>
    public static TrainingCheckpoint? TryRead(string directory, string model, string fingerprint)
    {
        var path = Path.Combine(directory, StateFileName);
        if (!File.Exists(path)) return null;
        State? state;
        try
        {
            state = JsonSerializer.Deserialize<State>(File.ReadAllText(path), s_json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"checkpoint '{path}' is not valid JSON: {ex.Message}", ex);
        }
        if (state is null || state.Format != Format) throw new InvalidDataException($"'{path}' is not an MLRobust training checkpoint");
        if (state.Version > CurrentVersion) throw new InvalidDataException($"checkpoint '{path}' has version {state.Version}; this build reads up to {CurrentVersion}");
        if (state.Model != model || state.Fingerprint != fingerprint)
            throw new InvalidOperationException($"checkpoint '{path}' belongs to another model ({state.Model}: {state.Fingerprint}), not to this one ({model}: {fingerprint}); use another checkpoint folder or set Resume = false");
        if (string.IsNullOrEmpty(state.WeightsFile) || state.WeightsFile.IndexOfAny(new[] { '/', '\\' }) >= 0 || state.WeightsFile.Contains(".."))
            throw new InvalidDataException($"checkpoint '{path}' names an invalid weights file '{state.WeightsFile}'");
        if (!File.Exists(Path.Combine(directory, state.WeightsFile))) throw new InvalidDataException($"checkpoint '{path}' names '{state.WeightsFile}', which is missing");
        state = state with { Positions = state.Positions ?? new Dictionary<string, long>() };
        return new TrainingCheckpoint(directory, state);
    }

    /// <summary>Copies the saved weights into <paramref name="model"/> and returns the saved optimizer state (keys without prefix).</summary>
    internal Dictionary<string, Tensor> Restore(nn.Module model, Device device)
    {
        var all = SafeTensors.Load(Path.Combine(Directory, Info.WeightsFile), device);
        var weights = new Dictionary<string, Tensor>();
        var optimizer = new Dictionary<string, Tensor>();
        foreach (var (key, value) in all)
        {
            if (key.StartsWith("model.", StringComparison.Ordinal)) weights[key["model.".Length..]] = value;
            else if (key.StartsWith("optimizer.", StringComparison.Ordinal)) optimizer[key["optimizer.".Length..]] = value;
            else throw new InvalidDataException($"checkpoint weights '{Info.WeightsFile}' hold an unexpected entry '{key}'");
        }
        model.load_state_dict(weights);
        foreach (var t in weights.Values) t.Dispose();
        return optimizer;
    }

    /// <summary>Writes a checkpoint of <paramref name="model"/> (and <paramref name="optimizer"/>) after <paramref name="iteration"/>
    /// iterations of stage <paramref name="stage"/>.</summary>
    internal static void Write(string directory, string model, string fingerprint, int stage, string stageName, int iteration,
        nn.Module network, optim.Optimizer? optimizer, IReadOnlyDictionary<string, long> positions)
    {
        System.IO.Directory.CreateDirectory(directory);
        var statePath = Path.Combine(directory, StateFileName);
        string? previous = null;
        if (File.Exists(statePath))
        {
            try
            {
                previous = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath), s_json)?.WeightsFile;
            }
            catch (JsonException)
            {
                previous = null;
            }
        }
        var weightsFile = $"weights-stage{stage}-{iteration:D8}.safetensors";
        using (var scope = NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>();
            foreach (var (key, value) in network.state_dict()) tensors["model." + key] = value;
            if (optimizer is not null) foreach (var (key, value) in OptimizerStateTensors.Capture(optimizer)) tensors["optimizer." + key] = value;
            SafeTensors.Save(tensors, Path.Combine(directory, weightsFile));
        }
        var state = new State(Format, CurrentVersion, model, fingerprint, stage, stageName, iteration, weightsFile, positions.ToDictionary(p => p.Key, p => p.Value));
        var temp = Path.Combine(directory, $".{StateFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, state, s_json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, statePath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        if (previous is not null && previous != weightsFile && previous.IndexOfAny(new[] { '/', '\\' }) < 0)
        {
            try { File.Delete(Path.Combine(directory, previous)); } catch (IOException) { }
        }
    }
}

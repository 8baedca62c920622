using Xunit.Abstractions;
using AttacksSample = MLRobust.Samples.AttacksOnImageFolder;
using SaveLoadSample = MLRobust.Samples.SaveLoadPredict;
using ScenesSample = MLRobust.Samples.TripleStagedOnRenderedScenes;

// The samples train with libtorch, whose random generator and thread pool are process-wide: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MLRobust.Samples.Tests;

/// <summary>Runs every sample at its smoke size (as <c>--smoke</c> does), so that none can rot: the results they return, what
/// they print, and their entry points with the arguments a user gives.</summary>
public sealed class SampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("mlrobust-samples-tests-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void TripleStagedOnRenderedScenes_TrainsEvaluatesAndNamesThePredictions()
    {
        var log = new StringWriter();
        var result = ScenesSample.Program.Run(ScenesSample.SampleOptions.SmokeRun, log);
        output.WriteLine(log.ToString());

        Assert.Equal(new[] { "monkey", "penguin", "aeroplane", "None" }, result.ClassNames);
        Assert.InRange(result.TripleStagedAccuracy, 0, 1);
        Assert.InRange(result.DirectAccuracy, 0, 1);
        // 120 scenes, a quarter of them held out by TrainTestSplit.
        Assert.InRange(result.TestRows, 15, 45);
        // ML.NET's MapKeyToValue after MLRobust's trainer gives the class names.
        Assert.Equal(10, result.FirstPredictedLabelNames.Count);
        Assert.All(result.FirstPredictedLabelNames, name => Assert.Contains(name, result.ClassNames));
        var text = log.ToString();
        Assert.Contains("Triple-staged: MicroAccuracy", text);
        Assert.Contains("Direct baseline: MicroAccuracy", text);
        Assert.Equal(2, CountOf(text, "Confusion table"));
        Assert.Contains("3.      None ||", text);
    }

    [Fact]
    public void AttacksOnImageFolder_AttacksLowerTheAccuracyWithinTheBudget()
    {
        var log = new StringWriter();
        var result = AttacksSample.Program.Run(AttacksSample.SampleOptions.SmokeRun, log);
        output.WriteLine(log.ToString());

        Assert.Equal(3, result.ClassCount);
        Assert.InRange(result.TestRows, 20, 60);
        // Three shape classes: chance is 1/3; the smoke-sized classifier is far above it.
        Assert.True(result.CleanAccuracy > 0.6, $"clean accuracy {result.CleanAccuracy}");
        foreach (var (name, attack) in new[] { ("FGSM", result.Fgsm), ("PGD", result.Pgd) })
        {
            Assert.True(attack.Accuracy <= result.CleanAccuracy, $"{name}: accuracy {attack.Accuracy} above the clean {result.CleanAccuracy}");
            Assert.True(attack.Accuracy < result.CleanAccuracy - 0.1, $"{name} barely changed the accuracy ({attack.Accuracy} vs {result.CleanAccuracy})");
            Assert.InRange(attack.SuccessRate, 0, 1);
            // L∞ attacks: no pixel moves by more than ε = 8/255.
            Assert.InRange(attack.LargestChange, 0, result.Epsilon + 1e-6);
        }
        // PGD (10 steps) is at least as strong as FGSM (one step) here.
        Assert.True(result.Pgd.Accuracy <= result.Fgsm.Accuracy, $"PGD {result.Pgd.Accuracy} vs FGSM {result.Fgsm.Accuracy}");
    }

    [Fact]
    public void SaveLoadPredict_LoadedModelPredictsLikeTheTrainedOne()
    {
        var log = new StringWriter();
        var result = SaveLoadSample.Program.Run(SaveLoadSample.SampleOptions.SmokeRun with { OutputFolder = _temp }, log);
        output.WriteLine(log.ToString());

        Assert.Equal(Path.Combine(_temp, "shapes-model.zip"), result.ModelPath);
        Assert.True(File.Exists(result.ModelPath));
        Assert.Equal(5, result.RowsCompared);
        Assert.Equal(result.RowsCompared, result.RowsIdentical);
        var classes = new[] { "disc", "square", "triangle" };
        Assert.Contains(result.ImageClass, classes);
        Assert.Contains(result.PredictedClass, classes);
        Assert.Equal(classes.Order(), result.Scores.Keys.Order());
        Assert.Equal(1.0, result.Scores.Values.Sum(), 4);
        // The predicted class is the one with the highest score.
        Assert.Equal(result.Scores.MaxBy(s => s.Value).Key, result.PredictedClass);
        Assert.True(result.TestAccuracy > 0.6, $"test accuracy {result.TestAccuracy}");
    }

    // ---- the entry points, with the arguments users give ----

    [Fact]
    public void TripleStagedOnRenderedScenes_MainRunsTheSmokeRun()
    {
        var (code, text) = RunMain(() => ScenesSample.Program.Main(new[] { "--smoke" }));
        Assert.Equal(0, code);
        Assert.Contains("120 scenes of 32x32", text);
        Assert.Contains("Direct baseline: MicroAccuracy", text);
    }

    [Fact]
    public void AttacksOnImageFolder_MainAttacksTheGivenFolderAndLeavesIt()
    {
        var folder = AttacksSample.ShapeImages.Write(Path.Combine(_temp, "images"), imagesPerClass: 40);
        var (code, text) = RunMain(() => AttacksSample.Program.Main(new[] { "--smoke", folder }));
        Assert.Equal(0, code);
        Assert.Contains($"images of {folder}", text);
        Assert.Contains("PGD (ε = 8 grey levels): MicroAccuracy", text);
        Assert.Equal(40, Directory.GetFiles(Path.Combine(folder, "triangle")).Length);
    }

    [Fact]
    public async Task SaveLoadPredict_MainSavesWhereAsked()
    {
        var (code, text) = RunMain(() => SaveLoadSample.Program.Main(new[] { "--smoke", "--out", _temp }));
        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(_temp, "shapes-model.zip")));
        Assert.Contains("Loaded model vs trained model: 5 of 5 test images scored identically", text);

        // Another program, in a fresh process, loads the file and predicts exactly what this process's loaded copy does.
        var model = Path.Combine(_temp, "shapes-model.zip");
        var images = Directory.GetFiles(SaveLoadSample.ShapeImages.Write(Path.Combine(_temp, "images"), 2, seed: 9), "*.png", SearchOption.AllDirectories).Order().ToArray();
        var here = RunMain(() => SaveLoadSample.Program.Main(["--predict", model, .. images]));
        Assert.Equal(0, here.Code);
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(SaveLoadSample.Program).Assembly.Location, "--predict", model }.Concat(images)) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        var fresh = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the fresh process did not finish");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        Assert.Equal(images.Length, fresh.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(here.Text.ReplaceLineEndings("\n"), fresh.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void EveryMain_RejectsUnknownArguments()
    {
        Assert.Equal(2, RunMain(() => ScenesSample.Program.Main(new[] { "--big" })).Code);
        Assert.Equal(2, RunMain(() => AttacksSample.Program.Main(new[] { "--smoke", "one", "two" })).Code);
        Assert.Equal(2, RunMain(() => SaveLoadSample.Program.Main(new[] { "--out" })).Code);
    }

    /// <summary>Runs an entry point with the console captured (the tests run one at a time).</summary>
    private (int Code, string Text) RunMain(Func<int> main)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var captured = new StringWriter();
        Console.SetOut(captured);
        Console.SetError(captured);
        try
        {
            var code = main();
            return (code, captured.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            output.WriteLine(captured.ToString());
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}

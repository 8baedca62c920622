using System.Text.Json;

namespace MLRobust.Cli.Tests;

/// <summary><c>mlrobust train</c> and <c>mlrobust evaluate</c> on tiny synthetic scenes (24x24, a few iterations): the model file,
/// the JSON metrics, evaluation on a rendered folder and on class folders, and the user errors.</summary>
public sealed class TrainEvaluateCommandTests : IClassFixture<TrainEvaluateCommandTests.Fixture>
{
    private readonly Fixture _fixture;

    public TrainEvaluateCommandTests(Fixture fixture) => _fixture = fixture;

    /// <summary>A rendered folder of 24 scenes, and a triple-staged model trained on it by the CLI.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Root = Directory.CreateTempSubdirectory("mlr-cli-train-").FullName;
            Scenes = Path.Combine(Root, "scenes");
            var render = CliRun.Of("render", "--count", "24", "--size", "24", "--seed", "3", "--out", Scenes);
            if (render.ExitCode != 0) throw new InvalidOperationException($"render failed: {render.Error}");
            TripleModel = Path.Combine(Root, "triple.zip");
            TripleRun = CliRun.Of("train", "--model", "triple-staged", "--data", Scenes, "--iterations", "2", "--batch-size", "4",
                "--test-fraction", "0.25", "--threshold", "0.3", "--out", TripleModel, "--json");
        }

        public string Root { get; }
        public string Scenes { get; }
        public string TripleModel { get; }
        internal CliRun TripleRun { get; }

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void TrainTripleStaged_OnARenderedFolder_SavesTheModelAndPrintsMetrics()
    {
        var run = _fixture.TripleRun;
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(_fixture.TripleModel));
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("triple-staged", root.GetProperty("Model").GetString());
        Assert.Equal(24, root.GetProperty("TrainRows").GetInt32() + root.GetProperty("TestRows").GetInt32());
        Assert.Equal(24, root.GetProperty("ImageSize").GetInt32());
        Assert.Equal(new[] { "Comparator", "Estimator", "Projector" }, root.GetProperty("FinalLosses").EnumerateObject().Select(p => p.Name).OrderBy(n => n));
        var byTheta = root.GetProperty("ErrorRateByThreshold");
        foreach (var theta in new[] { "0.2", "0.45", "0.7", "0.3" })
            Assert.InRange(byTheta.GetProperty(theta).GetDouble(), 0, 1);
        // The reported error at the model's Θ is the evaluator's.
        Assert.Equal(byTheta.GetProperty("0.3").GetDouble(), root.GetProperty("ErrorRate").GetDouble(), 9);
    }

    [Fact]
    public void Evaluate_ScoresARenderedFolder_AtEachThreshold()
    {
        Assert.True(_fixture.TripleRun.ExitCode == 0, _fixture.TripleRun.Error);
        var run = CliRun.Of("evaluate", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--threshold", "0.2", "0.7", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(24, root.GetProperty("Rows").GetInt32());
        Assert.Equal(new[] { "monkey", "penguin", "aeroplane", "None" }, root.GetProperty("Classes").EnumerateArray().Select(e => e.GetString()));
        var results = root.GetProperty("Results").EnumerateArray().ToArray();
        Assert.Equal(new[] { 0.2, 0.7 }, results.Select(r => r.GetProperty("Threshold").GetDouble()));
        foreach (var r in results)
            Assert.Equal(1, r.GetProperty("Accuracy").GetDouble() + r.GetProperty("ErrorRate").GetDouble(), 9);
    }

    [Fact]
    public void EvaluateRobustness_WritesTheSuiteAsJsonAndCharts()
    {
        var output = Path.Combine(_fixture.Root, "robustness");
        var run = CliRun.Of("evaluate", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--robustness", "--max-rows", "12",
            "--images-per-class", "1", "--max-steps", "5", "--epsilon", "0", "8", "--out", output, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var named = new JsonDocumentOptions();
        using var json = JsonDocument.Parse(run.Output, named);
        var robustness = json.RootElement.GetProperty("Robustness");
        Assert.Equal(12, robustness.GetProperty("Rows").GetInt32());
        var curves = robustness.GetProperty("EpsilonCurves");
        Assert.Equal(new[] { "fgsm", "pgd" }, curves.EnumerateArray().Select(c => c.GetProperty("Attack").GetString()));
        foreach (var curve in curves.EnumerateArray())
            Assert.Equal(new[] { 0.0, 8.0 }, curve.GetProperty("EpsilonGreyLevels").EnumerateArray().Select(e => e.GetDouble()));
        // The clean accuracy of the suite is the one of the first threshold's evaluation on the same rows' model.
        Assert.Equal(JsonValueKind.Object, robustness.GetProperty("Index").ValueKind);
        Assert.Equal(robustness.GetProperty("CleanAccuracy").GetDouble(), curves[0].GetProperty("Accuracy")[0].GetDouble(), 12);
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "robustness.json")));
        Assert.Equal(12, saved.RootElement.GetProperty("Rows").GetInt32());
        foreach (var chart in new[] { "accuracy-vs-epsilon.svg", "fgsm-mae.svg", "switch-threshold.svg", "pop-up-rate.svg", "pixel-changes.svg" })
            Assert.Equal("svg", System.Xml.Linq.XDocument.Load(Path.Combine(output, chart)).Root!.Name.LocalName);

        var table = CliRun.Of("evaluate", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--robustness", "--max-rows", "8",
            "--images-per-class", "1", "--max-steps", "3", "--epsilon", "0", "4");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("Robustness on 8 rows", table.Output);
        Assert.Contains("fgsm accuracy at ε", table.Output);

        var stray = CliRun.Of("evaluate", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--out", output);
        Assert.Equal(1, stray.ExitCode);
        Assert.Contains("--robustness", stray.Error);
        var bad = CliRun.Of("evaluate", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--robustness", "--epsilon", "300");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--epsilon", bad.Error);
    }

    [Fact]
    public void TrainWithMonitor_RecordsTheRobustnessIndexAndDrawsIt()
    {
        var model = Path.Combine(_fixture.Root, "monitored.zip");
        var run = CliRun.Of("train", "--model", "direct", "--count", "60", "--size", "24", "--iterations", "6", "--batch-size", "8",
            "--monitor-every", "3", "--monitor-rows", "16", "--monitor-images-per-class", "1", "--monitor-max-steps", "5", "--out", model, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var records = json.RootElement.GetProperty("Robustness").EnumerateArray().ToList();
        Assert.Equal(new[] { 3, 6 }, records.Select(r => r.GetProperty("Iteration").GetInt32()));
        Assert.All(records, r => Assert.Equal("Classifier", r.GetProperty("Stage").GetString()));
        Assert.Equal("svg", System.Xml.Linq.XDocument.Load(Path.ChangeExtension(model, ".robustness.svg")).Root!.Name.LocalName);
        var bad = CliRun.Of("train", "--model", "direct", "--count", "20", "--size", "24", "--iterations", "2", "--monitor-every", "0", "--out", model);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--monitor-every", bad.Error);
    }

    [Theory]
    [InlineData("ig")]
    [InlineData("lime")]
    public void Explain_WritesOneOverlayPerRowAndAList(string method)
    {
        var output = Path.Combine(_fixture.Root, "explain-" + method);
        var run = CliRun.Of("explain", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--out", output, "--method", method, "--rows", "3", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(new long[] { 0, 1, 2 }, rows.Select(r => r.GetProperty("Row").GetInt64()));
        foreach (var row in rows)
        {
            Assert.Equal(method, row.GetProperty("Method").GetString());
            var file = row.GetProperty("File").GetString()!;
            var png = File.ReadAllBytes(file);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        Assert.True(File.Exists(Path.Combine(output, "explanations.json")));
        var bad = CliRun.Of("explain", "--model", _fixture.TripleModel, "--data", _fixture.Scenes, "--out", output, "--rows", "0");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--rows", bad.Error);
    }

    [Fact]
    public void TrainDirect_OnSyntheticScenes_ThenEvaluateOnClassFolders()
    {
        var model = Path.Combine(_fixture.Root, "direct.zip");
        var run = CliRun.Of("train", "--model", "direct", "--count", "40", "--size", "24", "--iterations", "3", "--batch-size", "8", "--out", model, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using (var json = JsonDocument.Parse(run.Output))
        {
            Assert.Equal(40, json.RootElement.GetProperty("TrainRows").GetInt32() + json.RootElement.GetProperty("TestRows").GetInt32());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ErrorRateByThreshold").ValueKind);
        }

        // Class folders made from the rendered scenes: one sub-folder per label, holding the composited PNGs.
        var classes = Path.Combine(_fixture.Root, "classes");
        var lines = File.ReadAllLines(Path.Combine(_fixture.Scenes, "manifest.csv"));
        var header = lines[0].Split(',');
        int file = Array.IndexOf(header, "file"), label = Array.IndexOf(header, "label");
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            Directory.CreateDirectory(Path.Combine(classes, fields[label]));
            File.Copy(Path.Combine(_fixture.Scenes, fields[file]), Path.Combine(classes, fields[label], Path.GetFileName(fields[file])), overwrite: true);
        }
        var evaluate = CliRun.Of("evaluate", "--model", model, "--data", classes, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        using var result = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(24, result.RootElement.GetProperty("Rows").GetInt32());
        Assert.True(result.RootElement.GetProperty("Results")[0].GetProperty("LogLoss").GetDouble() > 0);

        var table = CliRun.Of("evaluate", "--model", model, "--data", _fixture.Scenes);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("Accuracy", table.Output);
        Assert.Contains("Confusion table", table.Output);
    }

    [Theory]
    [InlineData("--size must be a multiple of 8", "train", "--model", "direct", "--size", "20", "--out", "m.zip")]
    [InlineData("apply to --model triple-staged", "train", "--model", "direct", "--projector-iterations", "3", "--out", "m.zip")]
    [InlineData("--test-fraction must be between 0 and 1", "train", "--model", "direct", "--test-fraction", "1", "--out", "m.zip")]
    [InlineData("does not exist", "train", "--model", "direct", "--data", "/nonexistent/scenes", "--out", "m.zip")]
    [InlineData("does not exist", "evaluate", "--model", "/nonexistent/model.zip", "--data", "/tmp")]
    public void UserErrors_ExitWithOneAndSayWhatIsWrong(string message, params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void Evaluate_ThresholdOnADirectModel_IsAUserError()
    {
        var model = Path.Combine(_fixture.Root, "direct-theta.zip");
        var train = CliRun.Of("train", "--model", "direct", "--count", "12", "--size", "24", "--iterations", "1", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        var run = CliRun.Of("evaluate", "--model", model, "--data", _fixture.Scenes, "--threshold", "0.5");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--threshold applies to triple-staged models only", run.Error);
    }
}

using System.Text.Json;

namespace MLRobust.Cli.Tests;

/// <summary><c>mlrobust train --adversarial</c>: a tiny adversarial training runs and says so in its metrics, and bad values are
/// refused under their flag names before any work.</summary>
public sealed class AdversarialTrainCommandTests
{
    [Theory]
    [InlineData("direct", "pgd", "pgd (2 steps of 0.01), ε = 0.04, ratio 0.75")]
    [InlineData("direct-parameters", "fgsm", "fgsm, ε = 0.04, ratio 0.75")]
    public void Train_WithAdversarial_RunsAndReportsIt(string kind, string attack, string described)
    {
        var folder = Directory.CreateTempSubdirectory("mlr-cli-adv-").FullName;
        try
        {
            var model = Path.Combine(folder, "model.zip");
            var run = CliRun.Of("train", "--model", kind, "--count", "24", "--size", "24", "--iterations", "3", "--batch-size", "8",
                "--adversarial", attack, "--adversarial-epsilon", "0.04", "--adversarial-ratio", "0.75", "--adversarial-steps", "2", "--out", model, "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.True(File.Exists(model));
            using var json = JsonDocument.Parse(run.Output);
            Assert.Equal(described, json.RootElement.GetProperty("AdversarialTraining").GetString());
            Assert.True(double.IsFinite(json.RootElement.GetProperty("FinalLosses").GetProperty("Classifier").GetDouble()));
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--adversarial-epsilon: Epsilon is the L∞ radius in the images' units and must be in (0, 1]", "--adversarial", "pgd", "--adversarial-epsilon", "2")]
    [InlineData("--adversarial-epsilon: Epsilon is the L∞ radius", "--adversarial", "fgsm", "--adversarial-epsilon", "0")]
    [InlineData("--adversarial-ratio: Ratio is the fraction of each batch replaced by adversarial examples and must be in (0, 1]", "--adversarial", "pgd", "--adversarial-ratio", "1.5")]
    [InlineData("--adversarial-steps: Steps (PGD iterations) must be at least 1", "--adversarial", "pgd", "--adversarial-steps", "0")]
    [InlineData("need --adversarial pgd|fgsm", "--adversarial-epsilon", "0.1")]
    [InlineData("--adversarial applies to --model direct and direct-parameters", "--adversarial", "pgd", "--model", "triple-staged")]
    public void BadAdversarialValues_AreUserErrorsNamingTheFlag(string message, params string[] flags)
    {
        var args = new List<string> { "train", "--count", "12", "--size", "24", "--iterations", "1", "--out", Path.Combine(Path.GetTempPath(), "never-written.zip") };
        if (!flags.Contains("--model")) args.AddRange(new[] { "--model", "direct" });
        args.AddRange(flags);
        var run = CliRun.Of(args.ToArray());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
    }
}

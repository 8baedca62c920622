using MLRobust.Experiments;

namespace MLRobust.Tests;

/// <summary>The AUC of the stage diagnostics against the definition: the share of (positive, negative) pairs ordered correctly, ties ½.</summary>
public class StageDiagnosticsTests
{
    [Fact]
    public void AucOfAWorkedExample()
    {
        // Pairs: 0.9 > 0.85, 0.9 > 0.1, 0.8 < 0.85, 0.8 > 0.1: 3 of 4.
        Assert.Equal(0.75, StageDiagnostics.Auc(new[] { 0.9, 0.8 }, new[] { 0.85, 0.1 }), 12);
        Assert.Equal(0.5, StageDiagnostics.Auc(new[] { 0.5 }, new[] { 0.5 }), 12);
        Assert.Equal(1.0, StageDiagnostics.Auc(new[] { 2.0, 3.0 }, new[] { 1.0 }), 12);
        Assert.True(double.IsNaN(StageDiagnostics.Auc(Array.Empty<double>(), new[] { 1.0 })));
    }

    [Fact]
    public void AucEqualsPairCountingWithTies()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            // Values on a coarse grid so that ties occur.
            var positives = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Math.Round(random.NextDouble() * 10) / 10 + 0.1).ToArray();
            var negatives = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Math.Round(random.NextDouble() * 10) / 10).ToArray();
            double pairs = 0;
            foreach (var p in positives)
                foreach (var n in negatives)
                    pairs += p > n ? 1 : p == n ? 0.5 : 0;
            Assert.Equal(pairs / (positives.Length * negatives.Length), StageDiagnostics.Auc(positives, negatives), 12);
        }
    }
}

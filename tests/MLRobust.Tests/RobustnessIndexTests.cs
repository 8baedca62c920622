using System.Globalization;
using System.Text;
using Microsoft.ML;
using MLRobust.Attacks;
using MLRobust.Robustness;
using TorchSharp;
using Xunit.Abstractions;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The robustness analyses (Ding and Moeller, PAPERS.md §2) on hand-built linear models whose thresholds and pop-ups are
/// analytic, the targeted-FGSM MAE matrix against a PyTorch reimplementation, case counts, and the index formula.</summary>
public class RobustnessIndexTests(ITestOutputHelper output)
{
    /// <summary>Three pixels; class c ∈ {0, 1, 2} has logit x_c, class 3 the constant 0.45. An image s·e_c is class c.</summary>
    private static LogitsAttackTarget PopUpModel(int? noneClass = null) =>
        new(Linear(new float[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0 } }, new[] { 0f, 0f, 0f, 0.45f }), 4, noneClass);

    private static (Tensor images, Tensor labels) Scaled((int cls, float scale, int label)[] rows)
    {
        var values = new float[rows.Length * 3];
        for (var i = 0; i < rows.Length; i++)
            if (rows[i].cls < 3) values[i * 3 + rows[i].cls] = rows[i].scale;
        return (tensor(values, new long[] { rows.Length, 1, 1, 3 }), tensor(rows.Select(r => (long)r.label).ToArray()));
    }

    // Row 2 is a class-1 image labelled 0 (misclassified: skipped); row 7 is a third class-0 image (over the limit of 2).
    private static readonly (int cls, float scale, int label)[] PopUpRows =
    {
        (0, 1f, 0), (1, 0.8f, 1), (1, 1f, 0), (0, 0.8f, 0), (1, 1f, 1), (2, 1f, 2), (2, 0.8f, 2), (0, 0.9f, 0),
    };

    [Fact]
    public void Selection_TakesCorrectlyClassifiedImagesPerClass_AndReportsClassesWithoutImages()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = Scaled(PopUpRows);
        var model = PopUpModel();
        var inOrder = CaseSelection.Select(model, images, labels, new CaseSelectionOptions { ImagesPerClass = 2, Order = CaseOrder.RowOrder });
        Assert.Equal(new[] { 0, 1, 2, 3 }, inOrder.Classes);
        Assert.Equal(new long[] { 0, 3, 1, 4, 5, 6 }, inOrder.Rows);
        Assert.Equal(new[] { 0, 0, 1, 1, 2, 2 }, inOrder.RowClasses);
        Assert.Equal(new[] { 2, 2, 2, 0 }, inOrder.ImagesPerClassSelected);
        Assert.Equal(new[] { 3 }, inOrder.ClassesWithoutImages);
        Assert.Equal(7 / 8.0, inOrder.CleanAccuracy, 12);
        Assert.Equal("class 3", inOrder.ClassNames[3]);

        // Seeded random order: repeatable, only correctly classified rows, two per class; another seed visits other rows.
        var options = new CaseSelectionOptions { ImagesPerClass = 2, Seed = 11 };
        var a = CaseSelection.Select(model, images, labels, options);
        var b = CaseSelection.Select(model, images, labels, options);
        Assert.Equal(CaseOrder.SeededRandom, a.Order);
        Assert.Equal(a.Rows, b.Rows);
        Assert.DoesNotContain(2L, a.Rows);
        Assert.Equal(new[] { 2, 2, 2, 0 }, a.ImagesPerClassSelected);
        var class0 = Enumerable.Range(0, 20).Select(seed => string.Join(",", CaseSelection.Select(model, images, labels,
            new CaseSelectionOptions { ImagesPerClass = 2, Seed = seed }).Rows.Take(2).OrderBy(r => r))).Distinct().Count();
        Assert.True(class0 > 1, "different seeds should pick different class-0 images among rows 0, 3 and 7");
    }

    /// <summary>Along s₁·e_a → s₂·e_b the logits are z_a = (1 − T)s₁, z_b = T·s₂ and z₃ = 0.45: b first wins at the first grid T
    /// above T* = max(s₁/(s₁ + s₂), 0.45/s₂), and class 3 pops up where both z_a and z_b are below 0.45.</summary>
    [Fact]
    public void Interpolation_ThresholdsPopUpsAndMatricesMatchTheAnalyticModel()
    {
        using var scope = NewDisposeScope();
        var (images, labels) = Scaled(PopUpRows);
        var result = InterpolationAnalysis.Run(PopUpModel(), images, labels, new InterpolationAnalysisOptions { ImagesPerClass = 2, Order = CaseOrder.RowOrder, BatchSize = 5 });
        // 3 classes × 2 images, each towards the 4 images of the other classes.
        Assert.Equal(24, result.CaseCount);
        Assert.Equal(12, result.PairCount);
        var scale = PopUpRows.Select(r => (double)r.scale).ToArray();
        var k = 4;
        var sum = new double[k, k];
        var n = new int[k, k];
        var pop = 0;
        foreach (var c in result.Cases)
        {
            double s1 = scale[c.SourceRow], s2 = scale[c.TargetRow];
            var tStar = Math.Max(s1 / (s1 + s2), 0.45 / s2);
            Assert.True(Math.Abs(tStar * 99 - Math.Round(tStar * 99)) > 1e-3, "test design: no threshold on a grid point");
            var expected = Math.Ceiling(tStar * 99) / 99;
            Assert.Equal(expected, c.Threshold, 12);
            double lo = 1 - 0.45 / s1, hi = 0.45 / s2;
            var popUp = Enumerable.Range(0, 100).Any(i => i / 99.0 > lo && i / 99.0 < hi);
            Assert.Equal(popUp, c.HasPopUp);
            Assert.Equal(popUp ? new[] { 3 } : Array.Empty<int>(), c.PopUpClasses);
            var pairMae = (s1 + s2) / 3 * 255; // |s₂e_b − s₁e_a| over 3 values, in grey levels of [0, 1]
            Assert.Equal(pairMae, c.PairMae, 3);
            Assert.Equal(expected * pairMae, c.SwitchMae, 3);
            sum[c.SourceClass, c.TargetClass] += expected;
            n[c.SourceClass, c.TargetClass]++;
            if (popUp) pop++;
        }
        Assert.Equal(18, pop); // every pair but the 1.0 ↔ 1.0 ones crosses the 0.45 plateau of class 3
        Assert.Equal(pop / 24.0, result.OverallPopUpRate, 12);
        for (var a = 0; a < k; a++)
        for (var b = 0; b < k; b++)
        {
            Assert.Equal(n[a, b], result.CaseCounts[a, b]);
            if (n[a, b] == 0) Assert.True(double.IsNaN(result.MeanThreshold[a, b]));
            else Assert.Equal(sum[a, b] / n[a, b], result.MeanThreshold[a, b], 12);
        }
        Assert.Equal(4, result.CaseCounts[0, 1]);
        // Each unordered pair: T(A→B) + T(B→A).
        var pairSums = result.Cases.Where(c => c.SourceRow < c.TargetRow).Select(c =>
            c.Threshold + result.Cases.Single(r => r.SourceRow == c.TargetRow && r.TargetRow == c.SourceRow).Threshold).ToArray();
        Assert.Equal(12, pairSums.Length);
        Assert.Equal(pairSums.Average(), result.MeanThresholdSum, 12);
        Assert.True(result.MeanThresholdSum > 1, "the pop-up plateau delays both directions");
        output.WriteLine($"cases {result.CaseCount}, pop-up rate {result.OverallPopUpRate:F3}, mean threshold {result.MeanSwitchThreshold:F4}, mean sum {result.MeanThresholdSum:F4}");

        // Chunks of 5 pairs sweep what one chunk of all 12 does.
        var whole = InterpolationAnalysis.Run(PopUpModel(), images, labels, new InterpolationAnalysisOptions { ImagesPerClass = 2, Order = CaseOrder.RowOrder });
        Assert.Equal(whole.Cases.Select(c => (c.SourceRow, c.TargetRow, c.Threshold, c.HasPopUp)), result.Cases.Select(c => (c.SourceRow, c.TargetRow, c.Threshold, c.HasPopUp)));

        // The cases as an ML.NET data view.
        var ml = new MLContext(1);
        var rows = ml.Data.CreateEnumerable<InterpolationCase>(result.ToDataView(ml), reuseRowObject: false).ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal(result.Cases.Select(c => c.Threshold), rows.Select(r => r.Threshold));
        Assert.Equal(result.Cases.Select(c => c.PopUpClasses.Length), rows.Select(r => r.PopUpClasses.Length));
    }

    [Fact]
    public void CaseCounts_FollowThePaper_AndNoneIsLeftOutByDefault()
    {
        using var scope = NewDisposeScope();
        // Two images of each object class and two None images (zeros: only class 3's 0.45 is positive).
        var (images, labels) = Scaled(new[] { (0, 1f, 0), (0, 0.8f, 0), (1, 1f, 1), (1, 0.8f, 1), (2, 1f, 2), (2, 0.8f, 2), (3, 0f, 3), (3, 0f, 3) });
        var model = PopUpModel(noneClass: 3);
        var options = new RobustnessIndexOptions { ImagesPerClass = 2, MaxSteps = 0, InterpolationSteps = 10 };
        var objects = RobustnessIndex.Compute(model, images, labels, options);
        Assert.Equal(new[] { 0, 1, 2 }, objects.Selection.Classes);
        Assert.Equal(3 * 2 * 4, objects.Interpolation.CaseCount);
        Assert.Equal(3 * 2 * 2, objects.TargetedFgsm.CaseCount);
        Assert.DoesNotContain(objects.TargetedFgsm.Cases, c => c.TargetClass == 3);
        // Both analyses start from the same selection.
        Assert.Equal(objects.Selection.Rows.OrderBy(r => r), objects.TargetedFgsm.Cases.Select(c => c.SourceRow).Distinct().OrderBy(r => r));
        Assert.Equal(objects.Selection.Rows.OrderBy(r => r), objects.Interpolation.Cases.Select(c => c.SourceRow).Distinct().OrderBy(r => r));
        Assert.Equal(3, objects.FgsmMaeMatrix.GetLength(0));

        options.IncludeNoneClass = true;
        var all = RobustnessIndex.Compute(model, images, labels, options);
        Assert.Equal(4 * 2 * 6, all.Interpolation.CaseCount);
        Assert.Equal(4 * 2 * 3, all.TargetedFgsm.CaseCount);
        Assert.Equal(4, all.ThresholdMatrix.GetLength(0));
    }

    [Fact]
    public void Index_IsTheGeometricMeanOfTheMeanCells()
    {
        var f = new double[,] { { double.NaN, 4 }, { 9, double.NaN } };
        var s = new double[,] { { double.NaN, 16 }, { 36, double.NaN } };
        // F̄ = 6.5, S̄ = 26: √169 = 13.
        Assert.Equal(13 / 255.0, RobustnessIndex.FromMatrices(f, s), 14);
        Assert.Equal(new[] { 8 / 255.0, 18 / 255.0 }, RobustnessIndex.PerClass(f, s));
        var cells = RobustnessIndex.PerCell(f, s);
        Assert.Equal(8 / 255.0, cells[0, 1], 14);
        Assert.True(double.IsNaN(cells[0, 0]));
        var empty = new double[,] { { double.NaN, double.NaN }, { double.NaN, double.NaN } };
        Assert.True(double.IsNaN(RobustnessIndex.FromMatrices(empty, s)));
        Assert.Throws<ArgumentException>(() => RobustnessIndex.FromMatrices(new double[2, 3], new double[2, 3]));
        Assert.Equal(new[] { new[] { double.NaN, 4 }, new[] { 9, double.NaN } }, ClassMatrix.ToJagged(f));
    }

    /// <summary>The targeted iterative FGSM (α = 1 grey level on [0, 255], until the target is predicted) reimplemented in PyTorch
    /// per case, with the same case selection (row order): steps, success, MAE and the per-cell means agree.</summary>
    [Fact]
    public void TargetedFgsm_MaeMatrixMatchesAPyTorchReimplementation()
    {
        using var scope = NewDisposeScope();
        const int classes = 3, d = 12, count = 14, perClass = 3, maxSteps = 70;
        var rng = new Random(5);
        var weights = new float[classes, d];
        for (var c = 0; c < classes; c++)
        for (var j = 0; j < d; j++)
            weights[c, j] = (float)(rng.NextDouble() * 2 - 1) * 0.05f;
        var bias = new[] { 0.5f, -0.3f, 0.1f };
        var pixels = Enumerable.Range(0, count * d).Select(_ => (float)Math.Clamp(rng.Next(-40, 296), 0, 255)).ToArray();
        var module = Linear(weights, bias);
        var model = new LogitsAttackTarget(module, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray(), InputRange.Grey);
        var images = tensor(pixels, new long[] { count, 1, 3, 4 });
        long[] predicted;
        using (no_grad()) predicted = module.call(images).argmax(1).data<long>().ToArray();
        // Labels: the predictions, except rows 0 and 5 (misclassified on purpose).
        var labels = predicted.Select((p, i) => i is 0 or 5 ? (p + 1) % classes : p).ToArray();
        var result = TargetedFgsmAnalysis.Run(model, images, tensor(labels), new TargetedFgsmAnalysisOptions
        {
            ImagesPerClass = perClass, Order = CaseOrder.RowOrder, MaxSteps = maxSteps, BatchSize = 5,
        });

        string List<T>(IEnumerable<T> values) => "[" + string.Join(", ", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "]";
        var w = List(Enumerable.Range(0, classes).Select(c => List(Enumerable.Range(0, d).Select(j => Py(weights[c, j])))));
        var script = new StringBuilder();
        script.AppendLine($"W = torch.tensor({w}, dtype=torch.float32)");
        script.AppendLine($"b = torch.tensor({List(bias.Select(v => Py(v)))}, dtype=torch.float32)");
        script.AppendLine($"X = torch.tensor({List(pixels.Select(v => Py(v)))}, dtype=torch.float32).reshape({count}, {d})");
        script.AppendLine($"y = {List(labels)}");
        script.AppendLine($$"""
pred = F.linear(X, W, b).argmax(1).tolist()
picked = {c: [] for c in range({{classes}})}
for r in range({{count}}):
    if pred[r] == y[r] and len(picked[y[r]]) < {{perClass}}: picked[y[r]].append(r)
for c in range({{classes}}):
    for r in picked[c]:
        for t in range({{classes}}):
            if t == c: continue
            x0 = X[r:r+1].clone(); x = x0.clone(); steps = 0; ok = False
            for s in range({{maxSteps}} + 1):
                xg = x.clone().requires_grad_(True)
                z = F.linear(xg, W, b)
                if int(z.argmax(1)) == t: steps, ok = s, True; break
                if s == {{maxSteps}}: steps = s; break
                g, = torch.autograd.grad(F.cross_entropy(z, torch.tensor([t])), xg)
                x = (x - g.sign()).clamp(0, 255)
            mae = (x.double() - x0.double()).abs().mean().item()
            print(r, c, t, int(ok), steps, repr(mae))
""");
        var lines = Run(script.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, result.CaseCount);
        var expectedCells = new Dictionary<(int, int), List<double>>();
        for (var i = 0; i < lines.Length; i++)
        {
            var p = lines[i].Split(' ');
            var c = result.Cases[i];
            Assert.Equal(long.Parse(p[0]), c.SourceRow);
            Assert.Equal(int.Parse(p[1]), c.SourceClass);
            Assert.Equal(int.Parse(p[2]), c.TargetClass);
            Assert.Equal(p[3] == "1", c.Success);
            Assert.Equal(int.Parse(p[4]), c.Steps);
            var mae = double.Parse(p[5], CultureInfo.InvariantCulture);
            Assert.Equal(mae, c.Mae, 9);
            if (c.Success)
            {
                if (!expectedCells.TryGetValue((c.SourceClass, c.TargetClass), out var list)) expectedCells[(c.SourceClass, c.TargetClass)] = list = new List<double>();
                list.Add(mae);
            }
        }
        Assert.Contains(result.Cases, c => c.Success);
        Assert.Contains(result.Cases, c => !c.Success);
        for (var a = 0; a < classes; a++)
        for (var b = 0; b < classes; b++)
        {
            if (expectedCells.TryGetValue((a, b), out var list)) Assert.Equal(list.Average(), result.MeanMae[a, b], 9);
            else Assert.True(double.IsNaN(result.MeanMae[a, b]));
            var cellCases = result.Cases.Where(c => c.SourceClass == a && c.TargetClass == b).ToArray();
            if (cellCases.Length > 0) Assert.Equal(cellCases.Count(c => c.Success) / (double)cellCases.Length, result.SuccessRate[a, b], 12);
        }
        Assert.Equal(new[] { "c0", "c1", "c2" }, result.ClassNames);
        output.WriteLine($"{result.CaseCount} cases, success {result.OverallSuccessRate:F3}, mean MAE {result.MeanMaeOverall:F3} grey levels, mean steps {result.MeanStepsOverall:F2}");
        output.WriteLine("MAE matrix: " + string.Join(" | ", ClassMatrix.ToJagged(result.MeanMae).Select(r => string.Join(" ", r.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))))));
    }
}

using MLRobust.Models;
using MLRobust.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLRobust.Experiments;

/// <summary>How well each stage of a trained triple-staged network does its own job on labelled, rendered test rows, and
/// which stage each of its errors comes from (issue 12: "see before tuning").</summary>
/// <param name="ObjectRows">Test rows showing an object.</param>
/// <param name="NoneRows">Test rows showing background alone.</param>
/// <param name="PoseErrorMean">Estimator: mean |estimated − true| per pose angle (radians; rx, ry, rz), for the true class.</param>
/// <param name="PoseErrorMedian">The same, median.</param>
/// <param name="MaskIouEstimatedPose">Projector after estimator: mean IoU of the projected mask (> ½) with the render's alpha (> ½), true class at the estimated pose.</param>
/// <param name="MaskIouTruePose">Projector alone: the same at the true pose.</param>
/// <param name="ImageErrorEstimatedPose">Mean |projected image − clean render| per pixel (the [0, 1] scale), estimated pose.</param>
/// <param name="ImageErrorTruePose">The same at the true pose.</param>
/// <param name="ScoreAuc">Whole network: AUC of the class score for "the object is of this class" (true class of object rows) against
/// every other (row, class) score, None rows included; 1 = a threshold separates them perfectly.</param>
/// <param name="ComparatorAucTruePose">Comparator alone: the same AUC with the true class projected at its true pose (so pose and projection errors don't count).</param>
/// <param name="Threshold">Θ the errors are counted at.</param>
/// <param name="Errors">Misclassified rows at Θ.</param>
/// <param name="ErrorsByStage">Each error attributed to the first stage that failed it: "estimator" (an angle off by more than
/// <see cref="StageDiagnosticsOptions.PoseTolerance"/>), "projector" (mask IoU at the estimated pose below
/// <see cref="StageDiagnosticsOptions.IouTolerance"/>), "comparator" (pose and projection fine; or a None row given an object).</param>
public sealed record TripleStagedDiagnostics(
    int ObjectRows, int NoneRows,
    double[] PoseErrorMean, double[] PoseErrorMedian,
    double MaskIouEstimatedPose, double MaskIouTruePose,
    double ImageErrorEstimatedPose, double ImageErrorTruePose,
    double ScoreAuc, double ComparatorAucTruePose,
    double Threshold, int Errors, IReadOnlyDictionary<string, int> ErrorsByStage);

/// <summary>Options of <see cref="StageDiagnostics"/>.</summary>
public sealed class StageDiagnosticsOptions
{
    /// <summary>An error is the estimator's when an angle is off by more than this (radians).</summary>
    public double PoseTolerance = 0.15;

    /// <summary>An error is the projector's when the estimated-pose mask overlaps the alpha less than this.</summary>
    public double IouTolerance = 0.5;

    public int BatchSize = 32;

    /// <summary>Rows read, at most.</summary>
    public int MaxRows = 100_000;
}

/// <summary>Measures each stage of a <see cref="TripleStagedNetwork"/> on a data view with the synthetic scenes' columns
/// (image, label key, Parameters, CleanImage, Alpha).</summary>
public static class StageDiagnostics
{
    public const string Estimator = "estimator";
    public const string Projector = "projector";
    public const string Comparator = "comparator";

    public static TripleStagedDiagnostics Measure(TripleStagedNetwork network, IDataView data, SampleColumns columns, StageDiagnosticsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= new StageDiagnosticsOptions();
        if (columns.Parameters is null || columns.CleanImage is null || columns.Alpha is null)
            throw new ArgumentException("Stage diagnostics need the Parameters, CleanImage and Alpha columns (rendered scenes).", nameof(columns));
        var device = network.parameters().First().device;
        using var source = new DataViewSampleSource(data, columns, network.ClassCount, network.NoneClassIndex, network.InputSize, network.ParameterCount, 1, device);
        var p = network.ParameterCount;
        var k = network.ObjectClassCount;
        var none = network.NoneClassIndex;
        var poseErrors = Enumerable.Range(0, p).Select(_ => new List<double>()).ToArray();
        var iouEstimated = new List<double>();
        var iouTrue = new List<double>();
        var imageEstimated = new List<double>();
        var imageTrue = new List<double>();
        var positives = new List<double>();
        var negatives = new List<double>();
        var comparatorPositives = new List<double>();
        var byStage = new Dictionary<string, int> { [Estimator] = 0, [Projector] = 0, [Comparator] = 0 };
        int objectRows = 0, noneRows = 0, errors = 0;
        var training = network.training;
        network.eval();
        try
        {
            foreach (var batch in source.Pass(options.BatchSize, SampleFilter.All, options.MaxRows))
            {
                using (batch)
                using (NewDisposeScope())
                using (no_grad())
                {
                    var n = batch.Count;
                    var output = network.Run(batch.Images);
                    var decided = network.Decide(network.WithNoneColumn(output.ClassScores)).data<long>().ToArray();
                    var classes = batch.Classes.data<long>().ToArray();
                    var scores = output.ClassScores.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                    var estimated = output.Parameters.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                    var truth = batch.Parameters!.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                    var alpha = batch.Alphas!.gt(HeldScalars.Held(0.5)).reshape(n, -1);
                    var objectIndex = classes.Select(c => c == none ? -1 : (int)(c > none ? c - 1 : c)).ToArray();

                    // The true class drawn at the true pose: the projector on its own.
                    var objectsOnly = objectIndex.Select((o, i) => (o, i)).Where(x => x.o >= 0).ToArray();
                    Tensor? truePoseMask = null, truePoseImage = null, truePoseScore = null;
                    if (objectsOnly.Length > 0)
                    {
                        var rows = tensor(objectsOnly.Select(x => (long)x.i).ToArray(), device: device);
                        var oneHot = ClassPlanes.OneHot(tensor(objectsOnly.Select(x => (long)x.o).ToArray(), device: device), k, batch.Images);
                        var projection = network.Projector.call(batch.Parameters!.index_select(0, rows), oneHot);
                        truePoseMask = projection.Mask;
                        truePoseImage = projection.Image;
                        var similarity = network.Comparator.Similarity(Models.Comparator.Stack(batch.Images.index_select(0, rows), projection.Image, projection.Mask));
                        truePoseScore = TripleStagedNetwork.Score(similarity, projection.Mask, network.Comparator.PatchSize);
                    }
                    var trueIous = truePoseMask is null ? Array.Empty<double>() : Iou(truePoseMask.gt(HeldScalars.Held(0.5)).reshape(objectsOnly.Length, -1), alpha.index_select(0, tensor(objectsOnly.Select(x => (long)x.i).ToArray(), device: device)));
                    var trueImageErrors = truePoseImage is null ? Array.Empty<double>() : MeanAbs(truePoseImage.reshape(objectsOnly.Length, -1), batch.CleanImages!.reshape(n, -1).index_select(0, tensor(objectsOnly.Select(x => (long)x.i).ToArray(), device: device)));
                    var trueScores = truePoseScore is null ? Array.Empty<double>() : truePoseScore.to_type(ScalarType.Float64).cpu().data<double>().ToArray();

                    for (var j = 0; j < objectsOnly.Length; j++)
                    {
                        var (o, i) = objectsOnly[j];
                        objectRows++;
                        var worst = 0.0;
                        for (var a = 0; a < p; a++)
                        {
                            var e = Math.Abs(estimated[(i * k + o) * p + a] - truth[i * p + a]);
                            poseErrors[a].Add(e);
                            worst = Math.Max(worst, e);
                        }
                        using var estimatedMask = output.Masks[i, o].gt(HeldScalars.Held(0.5)).reshape(1, -1);
                        var iou = Iou(estimatedMask, alpha[i].reshape(1, -1))[0];
                        iouEstimated.Add(iou);
                        imageEstimated.Add(MeanAbs(output.ProjectedImages[i, o].reshape(1, -1), batch.CleanImages![i].reshape(1, -1))[0]);
                        iouTrue.Add(trueIous[j]);
                        imageTrue.Add(trueImageErrors[j]);
                        comparatorPositives.Add(trueScores[j]);
                        for (var c = 0; c < k; c++) (c == o ? positives : negatives).Add(scores[i * k + c]);
                        if (decided[i] == classes[i]) continue;
                        errors++;
                        byStage[worst > options.PoseTolerance ? Estimator : iou < options.IouTolerance ? Projector : Comparator]++;
                    }
                    for (var i = 0; i < n; i++)
                    {
                        if (objectIndex[i] >= 0) continue;
                        noneRows++;
                        for (var c = 0; c < k; c++) negatives.Add(scores[i * k + c]);
                        if (decided[i] == classes[i]) continue;
                        errors++;
                        byStage[Comparator]++;
                    }
                }
            }
        }
        finally
        {
            if (training) network.train();
        }
        return new TripleStagedDiagnostics(objectRows, noneRows,
            poseErrors.Select(Mean).ToArray(), poseErrors.Select(PaperReproduction.Median).ToArray(),
            Mean(iouEstimated), Mean(iouTrue), Mean(imageEstimated), Mean(imageTrue),
            Auc(positives, negatives), Auc(comparatorPositives, negatives), network.Threshold, errors, byStage);
    }

    /// <summary>The probability that a random positive scores above a random negative (ties count ½): the Mann–Whitney form of the ROC AUC.</summary>
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0) return double.NaN;
        var all = positives.Select(v => (v, positive: true)).Concat(negatives.Select(v => (v, positive: false))).OrderBy(x => x.v).ToArray();
        // Average ranks over ties, then U = Σ ranks of positives − n₊(n₊ + 1)/2.
        double rankSum = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].v == all[i].v) j++;
            var rank = (i + j) / 2.0 + 1;
            for (var t = i; t <= j; t++) if (all[t].positive) rankSum += rank;
            i = j + 1;
        }
        double np = positives.Count, nn = negatives.Count;
        return (rankSum - np * (np + 1) / 2) / (np * nn);
    }

    private static double[] Iou(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var intersection = a.logical_and(b).sum(1).to_type(ScalarType.Float64);
        var union = a.logical_or(b).sum(1).to_type(ScalarType.Float64);
        // Empty mask and empty alpha agree perfectly.
        return where(union.eq(HeldScalars.Zero), ones_like(union), intersection / union.clamp_min(HeldScalars.One)).cpu().data<double>().ToArray();
    }

    private static double[] MeanAbs(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a - b).abs().mean(new long[] { 1 }).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();
}

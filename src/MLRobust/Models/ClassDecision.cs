using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// The triple-staged decision rule (PAPERS.md §1): None when every object-class score is below Θ, otherwise the
/// object class with the highest score (the first of equal ones). Object classes are the classes other than None,
/// in class order: object class j is class j when j &lt; NoneClassIndex, else j + 1.
/// </summary>
public static class ClassDecision
{
    /// <summary>The class index of object class <paramref name="objectClass"/>.</summary>
    public static int ClassOfObject(int objectClass, int noneClassIndex) =>
        noneClassIndex < 0 || objectClass < noneClassIndex ? objectClass : objectClass + 1;

    /// <summary>The object class of class <paramref name="classIndex"/>, or -1 for None.</summary>
    public static int ObjectOfClass(int classIndex, int noneClassIndex) =>
        classIndex == noneClassIndex ? -1 : noneClassIndex < 0 || classIndex < noneClassIndex ? classIndex : classIndex - 1;

    /// <summary>The decision for one row of object-class scores: a class index (None included).</summary>
    public static int Decide(ReadOnlySpan<float> objectScores, double threshold, int noneClassIndex)
    {
        if (objectScores.IsEmpty) throw new ArgumentException("at least one object-class score is needed", nameof(objectScores));
        var best = 0;
        for (var j = 1; j < objectScores.Length; j++) if (objectScores[j] > objectScores[best]) best = j;
        // Θ compares in single precision, as the scores are stored.
        return objectScores[best] < (float)threshold ? noneClassIndex : ClassOfObject(best, noneClassIndex);
    }

    /// <summary>The value stored in the None column of a Score vector so that its argmax (first index wins ties, as
    /// ML.NET's evaluator takes it) is the Θ decision: Θ itself when None comes after every object class,
    /// otherwise the largest float below Θ.</summary>
    public static float NoneScore(double threshold, int noneClassIndex, int objectClassCount) =>
        noneClassIndex >= objectClassCount ? (float)threshold : MathF.BitDecrement((float)threshold);

    /// <summary>A full score row (<c>objectScores.Length + 1</c> entries, None at <paramref name="noneClassIndex"/>)
    /// whose argmax is the Θ decision.</summary>
    public static void FillScoreRow(ReadOnlySpan<float> objectScores, double threshold, int noneClassIndex, Span<float> destination)
    {
        if (destination.Length != objectScores.Length + 1)
            throw new ArgumentException($"the destination needs {objectScores.Length + 1} entries, it has {destination.Length}", nameof(destination));
        for (var j = 0; j < objectScores.Length; j++) destination[ClassOfObject(j, noneClassIndex)] = objectScores[j];
        destination[noneClassIndex] = NoneScore(threshold, noneClassIndex, objectScores.Length);
    }

    /// <summary>Batched form: <c>[N, K]</c> object-class scores → <c>[N]</c> int64 class indices.</summary>
    public static Tensor Decide(Tensor objectScores, double threshold, int noneClassIndex)
    {
        if (objectScores.dim() != 2) throw new ArgumentException($"expected [N, K] object-class scores, got shape [{string.Join(", ", objectScores.shape)}]", nameof(objectScores));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (best, index) = objectScores.max(1);
        // Object class j → class j, or j + 1 past the None position.
        var classes = noneClassIndex < 0 ? index : index + index.ge(HeldScalars.Held(noneClassIndex)).to_type(ScalarType.Int64);
        var below = best.to_type(ScalarType.Float32).lt(HeldScalars.Held((float)threshold));
        var result = where(below, full_like(classes, HeldScalars.Held(noneClassIndex)), classes);
        return result.MoveToOuterDisposeScope();
    }
}

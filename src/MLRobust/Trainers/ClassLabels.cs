using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Trainers;

/// <summary>The classes a trained model answers with: the label column's key values (key k is class k − 1) and which of them,
/// if any, is None. Makes the annotations of the Score and PredictedLabel columns.</summary>
public sealed class ClassLabels
{
    public ClassLabels(IReadOnlyList<string> names, int noneClassIndex)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < 2) throw new ArgumentException("at least 2 classes are needed", nameof(names));
        if (noneClassIndex < -1 || noneClassIndex >= names.Count) throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or below {names.Count}");
        Names = names.ToArray();
        NoneClassIndex = noneClassIndex;
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The index of the None class, or -1.</summary>
    public int NoneClassIndex { get; }

    /// <summary>The names of the classes other than None, in class order.</summary>
    public IReadOnlyList<string> ObjectNames => Names.Where((_, i) => i != NoneClassIndex).ToArray();

    /// <summary>Reads the classes of a key label column: its key values as text when it has them (else "0", "1", ...), and
    /// the position of <paramref name="noneLabel"/> among them (-1 when absent or null).</summary>
    public static ClassLabels FromLabelColumn(DataViewSchema.Column label, string? noneLabel)
    {
        if (label.Type is not KeyDataViewType key)
            throw new SchemaMismatchException("inputSchema", "label", label.Name, "a key type", label.Type.ToString()!);
        if (key.Count < 2 || key.Count > 100_000)
            throw new SchemaMismatchException("inputSchema", "label", label.Name, "a key type with 2 to 100000 values", label.Type.ToString()!);
        var count = (int)key.Count;
        var names = label.GetKeyValueNames();
        if (names is null || names.Length != count) names = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var none = noneLabel is null ? -1 : Array.IndexOf(names, noneLabel);
        return new ClassLabels(names, none);
    }

    /// <summary>KeyValues annotations (text) for a predicted-label key column.</summary>
    internal DataViewSchema.Annotations KeyValueAnnotations()
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var values = Names.Select(n => n.AsMemory()).ToArray();
        builder.AddKeyValues(values.Length, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(values.Length, values.ToArray()));
        return builder.ToAnnotations();
    }

    /// <summary>SlotNames annotations for a vector with one slot per name.</summary>
    internal static DataViewSchema.Annotations SlotNameAnnotations(IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var values = names.Select(n => n.AsMemory()).ToArray();
        builder.AddSlotNames(values.Length, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(values.Length, values.ToArray()));
        return builder.ToAnnotations();
    }

    /// <summary>The predicted-label column: a UInt32 key over the classes.</summary>
    internal DataViewSchema.DetachedColumn PredictedLabelColumn(string name) => new(name, new KeyDataViewType(typeof(uint), Count), KeyValueAnnotations());

    /// <summary>The score column: one Single per class, named.</summary>
    internal DataViewSchema.DetachedColumn ScoreColumn(string name) =>
        new(name, new VectorDataViewType(NumberDataViewType.Single, Count), SlotNameAnnotations(Names));
}

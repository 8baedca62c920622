using MLRobust.Rendering.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Rendering.Scenes;

/// <summary>The schema shared by synthetic-scene views and rendered folders loaded back.</summary>
internal static class SceneSchema
{
    public static DataViewSchema Create(int size, IReadOnlyList<string> labelNames, bool withCleanImage)
    {
        var builder = new DataViewSchema.Builder();
        var imageType = new VectorDataViewType(NumberDataViewType.Single, 1, size, size);
        builder.AddColumn(SceneColumns.Image, imageType);
        if (withCleanImage) builder.AddColumn(SceneColumns.CleanImage, imageType);
        builder.AddColumn(SceneColumns.Alpha, imageType);

        var keyValues = labelNames.Select(n => n.AsMemory()).ToArray();
        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        labelAnnotations.AddKeyValues(keyValues.Length, TextDataViewType.Instance,
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(keyValues.Length, (ReadOnlyMemory<char>[])keyValues.Clone()));
        builder.AddColumn(SceneColumns.Label, new KeyDataViewType(typeof(uint), keyValues.Length), labelAnnotations.ToAnnotations());

        string[] slots = ["rx", "ry", "rz"];
        var parameterAnnotations = new DataViewSchema.Annotations.Builder();
        parameterAnnotations.AddSlotNames(3, (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(3, slots.Select(s => s.AsMemory()).ToArray()));
        builder.AddColumn(SceneColumns.Parameters, new VectorDataViewType(NumberDataViewType.Single, 3), parameterAnnotations.ToAnnotations());
        return builder.ToSchema();
    }

    /// <summary>Hands out a dense float vector, reusing the caller's buffer.</summary>
    public static void Copy(float[] source, ref VBuffer<float> value)
    {
        var editor = VBufferEditor.Create(ref value, source.Length);
        source.AsSpan().CopyTo(editor.Values);
        value = editor.Commit();
    }

    /// <summary>A permutation of 0..count−1 from <paramref name="rand"/> (Fisher–Yates).</summary>
    public static int[] Permutation(int count, Random rand)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = rand.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

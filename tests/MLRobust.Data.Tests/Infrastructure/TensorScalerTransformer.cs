using MLRobust.ML;
using MLRobust.ML.Data;
using TorchSharp;

namespace MLRobust.Data.Tests;

/// <summary>A transformer defined outside MLRobust.Data that keeps its weights in a tensor: it multiplies a vector
/// column by them. It exercises the public base classes, the component registry and tensor persistence.</summary>
[ModelComponent(LoaderSignature)]
public sealed class TensorScalerTransformer : OneToOneTransformerBase, IDisposable
{
    internal const string LoaderSignature = "Tests.TensorScaler";

    private readonly torch.Tensor _weights;

    public TensorScalerTransformer(IHostEnvironment env, torch.Tensor weights, string outputColumnName, string inputColumnName)
        : base(env, (outputColumnName, inputColumnName))
    {
        _weights = weights;
    }

    public float[] Weights => _weights.data<float>().ToArray();

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        var expected = new VectorDataViewType(NumberDataViewType.Single, (int)_weights.shape[0]);
        if (!input.Type.Equals(expected)) throw new SchemaMismatchException("inputSchema", "input", input.Name, expected.ToString(), input.Type.ToString()!);
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, expected);
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var weights = Weights;
        var getter = input.GetGetter<VBuffer<float>>(inputColumn);
        var buffer = default(VBuffer<float>);
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) =>
        {
            getter(ref buffer);
            var editor = VBufferEditor.Create(ref dst, weights.Length);
            var values = buffer.ToArray();
            for (var i = 0; i < weights.Length; i++) editor.Values[i] = values[i] * weights[i];
            dst = editor.Commit();
        });
    }

    private sealed record Parameters(string Output, string Input);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, 1);
        ctx.SaveParameters(new Parameters(ColumnPairs[0].outputColumnName, ColumnPairs[0].inputColumnName));
        ctx.SaveTensors("weights.safetensors", new Dictionary<string, torch.Tensor> { ["w"] = _weights });
    }

    private static TensorScalerTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, 1);
        var p = ctx.LoadParameters<Parameters>();
        var tensors = ctx.LoadTensors("weights.safetensors");
        return new TensorScalerTransformer(ctx.Environment, tensors["w"], p.Output, p.Input);
    }

    public void Dispose() => _weights.Dispose();
}

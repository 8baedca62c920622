using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// LeakyReLU whose slope is one native Scalar the module holds. TorchSharp 0.107's <c>nn.LeakyReLU</c> converts its
/// double slope to a temporary Scalar on every call and passes only its handle on, so the GC may finalize (free) the
/// Scalar while libtorch still reads it; scoring one model from 8 threads hit that ("toFloat: Expected false to be
/// true", process abort). No parameters: state_dicts are unchanged.
/// </summary>
internal sealed class HeldSlopeLeakyReLU : nn.Module<Tensor, Tensor>
{
    private readonly Scalar _slope;

    public HeldSlopeLeakyReLU(double slope) : base(nameof(HeldSlopeLeakyReLU))
    {
        Slope = slope;
        _slope = slope.ToScalar();
    }

    public double Slope { get; }

    public override Tensor forward(Tensor input) => input.leaky_relu(_slope);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _slope.Dispose();
        base.Dispose(disposing);
    }
}

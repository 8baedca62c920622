using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;
using F = MLRobust.Torch.torch.nn.functional;

namespace MLRobust.Torch.Tests;

/// <summary>Fixed inputs of the functional tests and PyTorch's results for them, computed once
/// (one Python run) for the whole class.</summary>
public sealed class FunctionalReference
{
    internal static readonly long[] ImageShape = { 2, 3, 7, 7 };
    internal static readonly float[] Image = Data(Count(ImageShape), 1);
    internal static readonly long[] ConvWeightShape = { 4, 3, 3, 3 };
    internal static readonly float[] ConvWeight = Data(Count(ConvWeightShape), 2).Select(v => v * 0.3f).ToArray();
    internal static readonly float[] ConvBias = Data(4, 3);
    internal static readonly long[] GroupWeightShape = { 6, 1, 3, 3 };
    internal static readonly float[] GroupWeight = Data(Count(GroupWeightShape), 4);
    internal static readonly long[] TransposeWeightShape = { 3, 2, 3, 3 };
    internal static readonly float[] TransposeWeight = Data(Count(TransposeWeightShape), 5);
    internal static readonly float[] TransposeBias = Data(2, 6);
    internal static readonly long[] TransposeGroupWeightShape = { 3, 2, 2, 2 };
    internal static readonly float[] TransposeGroupWeight = Data(Count(TransposeGroupWeightShape), 7);
    internal static readonly float[] Features = Data(5 * 6, 8);
    internal static readonly float[] LinearWeight = Data(4 * 6, 9);
    internal static readonly float[] LinearBias = Data(4, 10);
    internal static readonly float[] Logits = Data(6 * 5, 11).Select(v => v * 3).ToArray();
    internal static readonly long[] Classes = { 0, 4, 2, 2, 1, 3 };
    internal static readonly long[] ClassesWithIgnored = { 0, 4, -100, 2, 1, 3 };
    internal static readonly float[] ClassWeights = { 0.5f, 1f, 2f, 0.25f, 1.5f };
    internal static readonly float[] SpatialLogits = Data(2 * 3 * 2 * 2, 12);
    internal static readonly long[] SpatialClasses = { 0, 1, 2, 1, 2, 2, 0, 1 };
    internal static readonly float[] Target = Data(6 * 5, 13);
    internal static readonly float[] Probabilities = Data(6 * 5, 14).Select(v => (v + 1.1f) / 2.2f).ToArray();
    internal static readonly float[] BinaryTargets = Data(6 * 5, 15).Select(v => v > 0 ? 1f : 0f).ToArray();
    internal static readonly float[] ElementWeights = Data(6 * 5, 16).Select(v => v + 1.5f).ToArray();
    internal static readonly float[] PosWeight = { 0.5f, 2f, 1f, 3f, 0.25f };
    internal static readonly float[] Sequence = Data(2 * 5 * 4, 17);
    internal static readonly float[] NormWeight = Data(3, 18).Select(v => v + 1).ToArray();
    internal static readonly float[] NormBias = Data(3, 19);
    internal static readonly float[] RunningMean = Data(3, 20);
    internal static readonly float[] RunningVar = Data(3, 21).Select(v => v + 1.5f).ToArray();
    internal static readonly long[] Indices = { 0, 3, 1, 2, 3 };

    public FunctionalReference()
    {
        string L(float[] v) => PythonReference.List(v);
        string LI(long[] v) => PythonReference.List(v);
        var script = $@"
x = T({L(Image)}, {Shape(ImageShape)})
w = T({L(ConvWeight)}, {Shape(ConvWeightShape)})
b = torch.tensor({L(ConvBias)})
gw = T({L(GroupWeight)}, {Shape(GroupWeightShape)})
tw = T({L(TransposeWeight)}, {Shape(TransposeWeightShape)})
tb = torch.tensor({L(TransposeBias)})
tgw = T({L(TransposeGroupWeight)}, {Shape(TransposeGroupWeightShape)})
feat = T({L(Features)}, [5,6])
lw = T({L(LinearWeight)}, [4,6])
lb = torch.tensor({L(LinearBias)})
logits = T({L(Logits)}, [6,5])
cls = torch.tensor({LI(Classes)})
cls_ign = torch.tensor({LI(ClassesWithIgnored)})
cw = torch.tensor({L(ClassWeights)})
slog = T({L(SpatialLogits)}, [2,3,2,2])
scls = torch.tensor({LI(SpatialClasses)}).reshape(2,2,2)
tgt = T({L(Target)}, [6,5])
prob = T({L(Probabilities)}, [6,5])
btgt = T({L(BinaryTargets)}, [6,5])
ew = T({L(ElementWeights)}, [6,5])
pw = torch.tensor({L(PosWeight)})
seq = T({L(Sequence)}, [2,5,4])
nw = torch.tensor({L(NormWeight)})
nb = torch.tensor({L(NormBias)})
rm = torch.tensor({L(RunningMean)})
rv = torch.tensor({L(RunningVar)})
idx = torch.tensor({LI(Indices)})

out('relu', F.relu(x)); out('leaky_relu', F.leaky_relu(x, 0.2)); out('sigmoid', torch.sigmoid(x)); out('tanh', torch.tanh(x))
out('softmax', F.softmax(x, dim=1)); out('log_softmax', F.log_softmax(x, dim=-1))
out('gelu', F.gelu(x)); out('gelu_tanh', F.gelu(x, approximate='tanh')); out('silu', F.silu(x)); out('softplus', F.softplus(x * 30, beta=2, threshold=10))
out('elu', F.elu(x, 0.7)); out('hardtanh', F.hardtanh(x, -0.5, 0.25)); out('logsigmoid', F.logsigmoid(x))

out('conv2d', F.conv2d(x, w, b, stride=2, padding=1))
out('conv2d_rect', F.conv2d(x, w, None, stride=(1,2), padding=(2,0), dilation=(2,1)))
out('conv2d_groups', F.conv2d(x, gw, None, stride=1, padding=2, dilation=2, groups=3))
out('conv2d_same', F.conv2d(x, w, b, padding='same', dilation=2))
out('conv2d_valid', F.conv2d(x, w, b, padding='valid'))
out('conv_transpose2d', F.conv_transpose2d(x, tw, tb, stride=2, padding=1, output_padding=1))
out('conv_transpose2d_groups', F.conv_transpose2d(x, tgw, None, stride=(2,3), padding=(0,1), output_padding=(1,0), groups=3, dilation=(1,2)))
out('linear', F.linear(feat, lw, lb)); out('linear_nobias', F.linear(feat, lw))

out('max_pool2d_ceil', F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True))
out('max_pool2d_floor', F.max_pool2d(x, 2))
out('max_pool2d_dilated', F.max_pool2d(x, (2,3), stride=(1,2), dilation=(2,1), ceil_mode=True))
mp, mpi = F.max_pool2d(x, 3, stride=2, return_indices=True); out('max_pool2d_indices', mpi)
out('avg_pool2d_ceil_nopad', F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False))
out('avg_pool2d_ceil_pad', F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=True))
out('avg_pool2d_divisor', F.avg_pool2d(x, 2, divisor_override=3))
out('adaptive_avg_pool2d', F.adaptive_avg_pool2d(x, (3,2)))
out('adaptive_max_pool2d', F.adaptive_max_pool2d(x, 4))

out('lrn', F.local_response_norm(x, 3, alpha=0.5, beta=0.75, k=2.0))
out('lrn_even', F.local_response_norm(x, 4))
out('lrn_3d', F.local_response_norm(seq, 3, alpha=0.3, beta=0.6, k=1.5))
out('batch_norm_eval', F.batch_norm(x, rm, rv, nw, nb, training=False, eps=1e-3))
rm2 = rm.clone(); rv2 = rv.clone()
out('batch_norm_train', F.batch_norm(x, rm2, rv2, nw, nb, training=True, momentum=0.3, eps=1e-5))
out('batch_norm_train_rm', rm2); out('batch_norm_train_rv', rv2)
out('layer_norm', F.layer_norm(x, [7,7], None, None, 1e-5))

out('pad_constant', F.pad(x, (1,2,0,1), value=0.5))
out('pad_reflect', F.pad(x, (2,1,1,2), mode='reflect'))
out('pad_replicate', F.pad(x, (2,1,1,3), mode='replicate'))
out('pad_circular', F.pad(x, (2,1,1,3), mode='circular'))
out('interp_nearest_size', F.interpolate(x, size=(10,5), mode='nearest'))
out('interp_nearest_scale', F.interpolate(x, scale_factor=1.7, mode='nearest'))
out('interp_bilinear', F.interpolate(x, size=(9,11), mode='bilinear', align_corners=False))
out('interp_bilinear_corners', F.interpolate(x, size=(9,11), mode='bilinear', align_corners=True))
out('interp_bilinear_scale', F.interpolate(x, scale_factor=(1.5, 0.6), mode='bilinear', align_corners=False))
out('interp_bilinear_recompute', F.interpolate(x, scale_factor=(1.5, 0.6), mode='bilinear', align_corners=False, recompute_scale_factor=True))
out('interp_bicubic', F.interpolate(x, size=(8,6), mode='bicubic', align_corners=False))
out('unfold', F.unfold(x, 3, dilation=1, padding=1, stride=2))
out('unfold_rect', F.unfold(x, (2,3), dilation=(2,1), padding=(0,1), stride=(1,2)))
out('fold', F.fold(F.unfold(x, 3, padding=1, stride=2), (7,7), 3, padding=1, stride=2))
out('one_hot', F.one_hot(idx, 5)); out('one_hot_auto', F.one_hot(idx))

for r in ['none', 'mean', 'sum']:
    out('ce_' + r, F.cross_entropy(logits, cls, reduction=r))
    out('ce_w_' + r, F.cross_entropy(logits, cls_ign, weight=cw, reduction=r))
    out('ce_ls_' + r, F.cross_entropy(logits, cls_ign, weight=cw, reduction=r, label_smoothing=0.15))
    out('nll_' + r, F.nll_loss(F.log_softmax(logits, 1), cls_ign, weight=cw, reduction=r))
    out('mse_' + r, F.mse_loss(logits, tgt, reduction=r))
    out('l1_' + r, F.l1_loss(logits, tgt, reduction=r))
    out('smooth_l1_' + r, F.smooth_l1_loss(logits, tgt, reduction=r, beta=0.5))
    out('bce_' + r, F.binary_cross_entropy(prob, btgt, weight=ew, reduction=r))
    out('bcel_' + r, F.binary_cross_entropy_with_logits(logits, btgt, weight=ew, reduction=r, pos_weight=pw))
out('ce_ignore7', F.cross_entropy(logits, cls, ignore_index=2))
out('ce_spatial', F.cross_entropy(slog, scls, label_smoothing=0.05))
out('ce_probs', F.cross_entropy(logits, F.softmax(tgt * 2, 1)))
out('bce_plain', F.binary_cross_entropy(prob, btgt))
out('bcel_plain', F.binary_cross_entropy_with_logits(logits, btgt))
out('fn_exp', torch.exp(x)); out('fn_matmul', torch.matmul(feat, lw.t())); out('fn_max', torch.max(x)); out('fn_max_dim', torch.max(x, 1)[0])
out('fn_argmax', torch.argmax(x, 1)); out('fn_clamp', torch.clamp(x, -0.5, 0.3)); out('fn_sum_dims', torch.sum(x, (1, 3), keepdim=True))
out('fn_mean', torch.mean(x)); out('fn_pow', torch.pow(x, 3)); out('fn_sqrt_abs', torch.sqrt(torch.abs(x))); out('fn_log_sign', torch.log(x.abs() + 1) * torch.sign(x))
out('fn_maximum', torch.max(x, x.flip(3))); out('fn_std', torch.std(x, 2)); out('fn_logsumexp', torch.logsumexp(x, 1))
";
        Expected = RunNamed(script);
    }

    internal Dictionary<string, double[]> Expected { get; }
}

public class FunctionalTests : IClassFixture<FunctionalReference>
{
    private const double Tol = 1e-5;
    private readonly Dictionary<string, double[]> _expected;

    public FunctionalTests(FunctionalReference reference) => _expected = reference.Expected;

    private void Check(string name, Tensor actual, double tol = Tol)
    {
        Assert.True(_expected.ContainsKey(name), $"no PyTorch value for '{name}'");
        AssertClose(_expected[name], actual, tol, tol, name);
    }

    private static Tensor X() => tensor(FunctionalReference.Image, FunctionalReference.ImageShape);

    [Fact]
    public void Activations()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Check("relu", F.relu(x));
        Check("leaky_relu", F.leaky_relu(x, 0.2));
        Check("sigmoid", F.sigmoid(x));
        Check("tanh", F.tanh(x));
        Check("softmax", F.softmax(x, 1));
        Check("softmax", x.softmax(1));
        Check("log_softmax", F.log_softmax(x, -1));
        Check("gelu", F.gelu(x));
        Check("gelu_tanh", F.gelu(x, tanh_approximation: true));
        Check("silu", F.silu(x));
        Check("softplus", F.softplus(x * 30, beta: 2, threshold: 10));
        Check("elu", F.elu(x, 0.7));
        Check("hardtanh", F.hardtanh(x, -0.5, 0.25));
        Check("logsigmoid", F.logsigmoid(x));
        Check("relu", torch.relu(x));
        Check("softmax", torch.softmax(x, 1));
    }

    [Fact]
    public void InPlaceActivationsModifyInputAndReturnFreshHandle()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var y = F.relu(x, inplace: true);
        Assert.NotSame(x, y);
        Check("relu", x);
        y.Dispose();
        Check("relu", x);
        var z = X();
        F.leaky_relu(z, 0.2, inplace: true);
        Check("leaky_relu", z);
    }

    [Fact]
    public void Convolutions()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var w = tensor(FunctionalReference.ConvWeight, FunctionalReference.ConvWeightShape);
        var b = tensor(FunctionalReference.ConvBias);
        Check("conv2d", F.conv2d(x, w, b, new long[] { 2 }, new long[] { 1 }));
        Check("conv2d_rect", F.conv2d(x, w, null, new long[] { 1, 2 }, new long[] { 2, 0 }, new long[] { 2, 1 }));
        var gw = tensor(FunctionalReference.GroupWeight, FunctionalReference.GroupWeightShape);
        Check("conv2d_groups", F.conv2d(x, gw, null, null, new long[] { 2 }, new long[] { 2 }, groups: 3));
        Check("conv2d_same", F.conv2d_padding(x, w, b, padding: Padding.Same, dilation: new long[] { 2 }));
        Check("conv2d_valid", F.conv2d_padding(x, w, b, padding: Padding.Valid));
        var tw = tensor(FunctionalReference.TransposeWeight, FunctionalReference.TransposeWeightShape);
        var tb = tensor(FunctionalReference.TransposeBias);
        Check("conv_transpose2d", F.conv_transpose2d(x, tw, tb, new long[] { 2 }, new long[] { 1 }, new long[] { 1 }));
        var tgw = tensor(FunctionalReference.TransposeGroupWeight, FunctionalReference.TransposeGroupWeightShape);
        Check("conv_transpose2d_groups", F.conv_transpose2d(x, tgw, null, new long[] { 2, 3 }, new long[] { 0, 1 }, new long[] { 1, 0 }, 3, new long[] { 1, 2 }));
        var feat = tensor(FunctionalReference.Features, new long[] { 5, 6 });
        var lw = tensor(FunctionalReference.LinearWeight, new long[] { 4, 6 });
        Check("linear", F.linear(feat, lw, tensor(FunctionalReference.LinearBias)));
        Check("linear_nobias", F.linear(feat, lw));
    }

    [Fact]
    public void ConvolutionArgumentErrorsNameTheArgument()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var w = tensor(FunctionalReference.ConvWeight, FunctionalReference.ConvWeightShape);
        var e = Assert.Throws<ArgumentException>(() => F.conv2d(x, w, null, new long[] { 1, 2, 3 }));
        Assert.Contains("strides", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.conv2d(x, w, groups: 0));
        var wrong = ones(4, 2, 3, 3);
        var t = Assert.Throws<TorchException>(() => F.conv2d(x, wrong));
        Assert.Contains("conv2d", t.Message);
    }

    [Fact]
    public void Pooling()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Check("max_pool2d_ceil", F.max_pool2d(x, 3, stride: 2, padding: 1, ceil_mode: true));
        Check("max_pool2d_floor", F.max_pool2d(x, 2));
        Check("max_pool2d_dilated", F.max_pool2d(x, new long[] { 2, 3 }, new long[] { 1, 2 }, null, new long[] { 2, 1 }, ceil_mode: true));
        var (_, indices) = F.max_pool2d_with_indices(x, new long[] { 3 }, new long[] { 2 });
        Check("max_pool2d_indices", indices);
        Check("avg_pool2d_ceil_nopad", F.avg_pool2d(x, 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false));
        Check("avg_pool2d_ceil_pad", F.avg_pool2d(x, 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: true));
        Check("avg_pool2d_divisor", F.avg_pool2d(x, 2, divisor_override: 3));
        Check("adaptive_avg_pool2d", F.adaptive_avg_pool2d(x, (3, 2)));
        Check("adaptive_max_pool2d", F.adaptive_max_pool2d(x, 4));
    }

    [Fact]
    public void Normalization()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Check("lrn", F.local_response_norm(x, 3, alpha: 0.5, beta: 0.75, k: 2.0));
        Check("lrn_even", F.local_response_norm(x, 4));
        var seq = tensor(FunctionalReference.Sequence, new long[] { 2, 5, 4 });
        Check("lrn_3d", F.local_response_norm(seq, 3, alpha: 0.3, beta: 0.6, k: 1.5));
        Assert.Throws<ArgumentException>(() => F.local_response_norm(ones(3, 4), 3));

        var nw = tensor(FunctionalReference.NormWeight);
        var nb = tensor(FunctionalReference.NormBias);
        var rm = tensor(FunctionalReference.RunningMean);
        var rv = tensor(FunctionalReference.RunningVar);
        Check("batch_norm_eval", F.batch_norm(x, rm, rv, nw, nb, training: false, eps: 1e-3));
        var rm2 = rm.clone();
        var rv2 = rv.clone();
        Check("batch_norm_train", F.batch_norm(x, rm2, rv2, nw, nb, training: true, momentum: 0.3, eps: 1e-5));
        Check("batch_norm_train_rm", rm2);
        Check("batch_norm_train_rv", rv2);
        Assert.Throws<ArgumentException>(() => F.batch_norm(ones(1, 3), null, null, training: true));
        Check("layer_norm", F.layer_norm(x, new long[] { 7, 7 }));
    }

    [Fact]
    public void PaddingAndResampling()
    {
        using var scope = NewDisposeScope();
        var x = X();
        Check("pad_constant", F.pad(x, new long[] { 1, 2, 0, 1 }, value: 0.5));
        Check("pad_reflect", F.pad(x, new long[] { 2, 1, 1, 2 }, PaddingModes.Reflect));
        Check("pad_replicate", F.pad(x, new long[] { 2, 1, 1, 3 }, PaddingModes.Replicate));
        Check("pad_circular", F.pad(x, new long[] { 2, 1, 1, 3 }, PaddingModes.Circular));
        Check("interp_nearest_size", F.interpolate(x, new long[] { 10, 5 }));
        Check("interp_nearest_scale", F.interpolate(x, scale_factor: new[] { 1.7 }));
        Check("interp_bilinear", F.interpolate(x, new long[] { 9, 11 }, mode: InterpolationMode.Bilinear, align_corners: false));
        Check("interp_bilinear_corners", F.interpolate(x, new long[] { 9, 11 }, mode: InterpolationMode.Bilinear, align_corners: true));
        Check("interp_bilinear_scale", F.interpolate(x, scale_factor: new[] { 1.5, 0.6 }, mode: InterpolationMode.Bilinear));
        Check("interp_bilinear_recompute", F.interpolate(x, scale_factor: new[] { 1.5, 0.6 }, mode: InterpolationMode.Bilinear, recompute_scale_factor: true));
        Check("interp_bicubic", F.interpolate(x, new long[] { 8, 6 }, mode: InterpolationMode.Bicubic));
        Assert.Throws<ArgumentException>(() => F.interpolate(x, new long[] { 8, 8 }, align_corners: true));
        Assert.Throws<ArgumentException>(() => F.interpolate(x));
        Assert.Throws<ArgumentException>(() => F.pad(x, new long[] { 1, 2, 3 }));

        Check("unfold", F.unfold(x, 3, dilation: 1, padding: 1, stride: 2));
        Check("unfold_rect", F.unfold(x, (2, 3), (2, 1), (0, 1), (1, 2)));
        Check("fold", F.fold(F.unfold(x, 3, padding: 1, stride: 2), (7, 7), (3, 3), padding: (1, 1), stride: (2, 2)));
        var idx = tensor(FunctionalReference.Indices);
        Check("one_hot", F.one_hot(idx, 5));
        Check("one_hot_auto", F.one_hot(idx));
    }

    [Fact]
    public void Losses()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(FunctionalReference.Logits, new long[] { 6, 5 });
        var cls = tensor(FunctionalReference.Classes);
        var clsIgnored = tensor(FunctionalReference.ClassesWithIgnored);
        var cw = tensor(FunctionalReference.ClassWeights);
        var target = tensor(FunctionalReference.Target, new long[] { 6, 5 });
        var prob = tensor(FunctionalReference.Probabilities, new long[] { 6, 5 });
        var btgt = tensor(FunctionalReference.BinaryTargets, new long[] { 6, 5 });
        var ew = tensor(FunctionalReference.ElementWeights, new long[] { 6, 5 });
        var pw = tensor(FunctionalReference.PosWeight);
        foreach (var (r, reduction) in new[] { ("none", nn.Reduction.None), ("mean", nn.Reduction.Mean), ("sum", nn.Reduction.Sum) })
        {
            Check("ce_" + r, F.cross_entropy(logits, cls, reduction: reduction));
            Check("ce_w_" + r, F.cross_entropy(logits, clsIgnored, cw, reduction: reduction));
            Check("ce_ls_" + r, F.cross_entropy(logits, clsIgnored, cw, reduction: reduction, label_smoothing: 0.15));
            Check("nll_" + r, F.nll_loss(F.log_softmax(logits, 1), clsIgnored, cw, reduction: reduction));
            Check("mse_" + r, F.mse_loss(logits, target, reduction));
            Check("l1_" + r, F.l1_loss(logits, target, reduction));
            Check("smooth_l1_" + r, F.smooth_l1_loss(logits, target, reduction, beta: 0.5));
            Check("bce_" + r, F.binary_cross_entropy(prob, btgt, ew, reduction));
            Check("bcel_" + r, F.binary_cross_entropy_with_logits(logits, btgt, ew, reduction, pw));
        }
        Check("ce_ignore7", F.cross_entropy(logits, cls, ignore_index: 2));
        var slog = tensor(FunctionalReference.SpatialLogits, new long[] { 2, 3, 2, 2 });
        var scls = tensor(FunctionalReference.SpatialClasses, new long[] { 2, 2, 2 });
        Check("ce_spatial", F.cross_entropy(slog, scls, label_smoothing: 0.05));
        Check("ce_probs", F.cross_entropy(logits, F.softmax(target * 2, 1)));
        Check("bce_plain", F.binary_cross_entropy(prob, btgt));
        Check("bcel_plain", F.binary_cross_entropy_with_logits(logits, btgt));

        var e = Assert.Throws<ArgumentException>(() => F.binary_cross_entropy(prob, ones(6, 4)));
        Assert.Contains("target shape", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.cross_entropy(logits, cls, label_smoothing: 1.5));
    }

    [Fact]
    public void TorchFunctionsMirrorTensorMethods()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var feat = tensor(FunctionalReference.Features, new long[] { 5, 6 });
        var lw = tensor(FunctionalReference.LinearWeight, new long[] { 4, 6 });
        Check("fn_exp", exp(x));
        Check("fn_matmul", matmul(feat, t(lw)));
        Check("fn_max", max(x));
        Check("fn_max_dim", max(x, 1).values);
        Check("fn_argmax", argmax(x, 1));
        Check("fn_clamp", clamp(x, -0.5, 0.3));
        Check("fn_sum_dims", sum(x, new long[] { 1, 3 }, keepdim: true));
        Check("fn_mean", mean(x));
        Check("fn_pow", pow(x, 3));
        Check("fn_sqrt_abs", sqrt(abs(x)));
        Check("fn_log_sign", log(abs(x) + 1) * sign(x));
        Check("fn_maximum", max(x, x.flip(3)));
        Check("fn_std", std(x, 2));
        Check("fn_logsumexp", logsumexp(x, 1));
    }

    [Fact]
    public void DropoutIsIdentityInEvalAndScalesSurvivorsInTraining()
    {
        using var scope = NewDisposeScope();
        var x = ones(200, 100);
        var eval = F.dropout(x, 0.3, training: false);
        Assert.True(eval.equal(x));
        manual_seed(5);
        var train = F.dropout(x, 0.3, training: true);
        var values = train.data<float>().ToArray();
        var zeros = values.Count(v => v == 0);
        // 20000 Bernoulli(0.3) draws: mean 6000, sd ≈ 65; survivors are scaled by 1/(1-p).
        Assert.InRange(zeros, 5600, 6400);
        Assert.All(values.Where(v => v != 0), v => Assert.Equal(1 / 0.7f, v, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(x, 1.5));
        var channels = F.dropout2d(ones(4, 50, 3, 3), 0.5, training: true);
        var perChannel = channels.sum(new long[] { 2, 3 }).data<float>().ToArray();
        Assert.All(perChannel, v => Assert.True(v == 0 || Math.Abs(v - 18) < 1e-4, $"channel sum {v} is neither 0 nor 9·2"));
    }
}

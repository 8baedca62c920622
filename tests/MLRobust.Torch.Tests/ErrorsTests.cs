using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>Every failure path gives a managed exception of the documented type with a message
/// that says what went wrong, and the process (and the next call) carries on.</summary>
public class ErrorsTests
{
    [Fact]
    public void ShapeMismatchCarriesLibtorchsMessageAndTheOpName()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2, 3) + ones(4, 5));
        Assert.Equal("aten::add.Tensor", e.Operation);
        Assert.StartsWith("aten::add.Tensor: ", e.Message);
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1", e.Message);
        Assert.IsAssignableFrom<System.Runtime.InteropServices.ExternalException>(e);
    }

    [Fact]
    public void MatmulMismatchNamesBothShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2, 3).matmul(ones(4, 5)));
        Assert.Equal("aten::matmul", e.Operation);
        Assert.Contains("2x3", e.Message);
        Assert.Contains("4x5", e.Message);
    }

    [Fact]
    public void CatMismatch()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => cat(new[] { ones(2, 3), ones(2, 4) }, 0));
        Assert.Equal("aten::cat", e.Operation);
        Assert.Contains("Sizes of tensors must match", e.Message);
    }

    [Fact]
    public void MixedDtypeMatmulIsAnError()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2, 2).mm(ones(new long[] { 2, 2 }, ScalarType.Float64)));
        Assert.Contains("aten::mm", e.Message);
        Assert.Matches("(?i)(dtype|scalar type)", e.Message);
    }

    [Fact]
    public void IndexOutOfRange()
    {
        using var scope = NewDisposeScope();
        var select = Assert.Throws<TorchException>(() => ones(2, 3).select(0, 10));
        Assert.Contains("index 10 out of range", select.Message);
        var indexSelect = Assert.Throws<TorchException>(() => ones(3).index_select(0, tensor(new long[] { 5 })));
        Assert.Contains("index out of range", indexSelect.Message);
    }

    [Fact]
    public void IntegerDivisionByZeroIsAManagedError()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => tensor(new long[] { 1, 2 }).div(tensor(new long[] { 0, 1 }), "floor"));
        Assert.Contains("ZeroDivisionError", e.Message);
        // True division by zero is IEEE, not an error.
        var inf = tensor(new long[] { 1 }) / 0;
        Assert.True(float.IsPositiveInfinity(inf.item<float>()));
    }

    [Fact]
    public void ItemOfAMultiElementTensor()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2, 3).item<float>());
        Assert.Contains("a Tensor with 6 elements cannot be converted to Scalar", e.Message);
    }

    [Fact]
    public void ReadingTheWrongDotNetTypeIsAnArgumentError()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 1, 2 });
        var e = Assert.Throws<ArgumentException>(() => i.data<float>());
        Assert.Contains("Int64", e.Message);
        Assert.Contains("Single", e.Message);
        Assert.Throws<ArgumentException>(() => i.copy_to<int>(new int[2]));
        Assert.Throws<ArgumentException>(() => ones(2).copy_from<double>(new double[2]));
    }

    [Fact]
    public void WrongBufferLengthIsAnArgumentError()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ones(2, 3).copy_to<float>(new float[5]));
        Assert.Contains("5", e.Message);
        Assert.Contains("6", e.Message);
        Assert.Throws<ArgumentException>(() => ones(4).copy_from<float>(new float[3]));
    }

    [Fact]
    public void UseAfterDisposeIsObjectDisposed()
    {
        var t = ones(2, 2);
        using var other = ones(2, 2);
        t.Dispose();
        t.Dispose(); // disposing twice is harmless
        Assert.True(t.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        Assert.Throws<ObjectDisposedException>(() => t.data<float>());
        Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Throws<ObjectDisposedException>(() => other + t);
        Assert.Throws<ObjectDisposedException>(() => cat(new[] { other, t }));
        Assert.Throws<ObjectDisposedException>(() => t.requires_grad = true);
        Assert.Equal("Tensor (disposed)", t.ToString());
    }

    [Fact]
    public void UseAfterTheScopeDisposedItIsObjectDisposed()
    {
        Tensor t;
        using (NewDisposeScope()) t = ones(3);
        var e = Assert.Throws<ObjectDisposedException>(() => t.item<float>());
        Assert.Contains("dispose scope", e.Message);
    }

    [Fact]
    public void CudaWhenUnavailableIsAClearInvalidOperation()
    {
        using var scope = NewDisposeScope();
        var x = ones(2);
        var attempts = new Func<object>[]
        {
            () => tensor(new[] { 1f }, device: CUDA),
            () => zeros(new long[] { 2 }, device: "cuda"),
            () => x.to("cuda"),
            () => x.cuda(),
            () => randn_like(x, device: CUDA),
            () => SafeTensors.Load(new MemoryStream(SafeTensors.Serialize(new Dictionary<string, Tensor> { ["x"] = x })), CUDA),
        };
        if (!cuda.is_available())
        {
            foreach (var attempt in attempts)
            {
                var e = Assert.Throws<InvalidOperationException>(attempt);
                Assert.Contains("CUDA is not available", e.Message);
            }
        }
        else
        {
            foreach (var attempt in attempts) Assert.NotNull(attempt());
            using var onGpu = x.cuda();
            Assert.True(onGpu.is_cuda);
            var e = Assert.Throws<InvalidOperationException>(() => x.to("cuda:99"));
            Assert.Contains("CUDA device(s) are present", e.Message);
        }
    }

    [Fact]
    public void NegativeSizesAreArgumentErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => zeros(-1, 2));
        Assert.Contains("-1", e.Message);
        Assert.Throws<ArgumentException>(() => empty(3, -2));
        Assert.Throws<ArgumentException>(() => full(new long[] { -4 }, 1.0));
        Assert.Throws<ArgumentException>(() => randn(2, -1));
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1 }, new long[] { -1 }));
        Assert.Throws<ArgumentException>(() => linspace(0, 1, -3));
    }

    [Fact]
    public void WrongElementCountForAShapeIsAnArgumentError()
    {
        var e = Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3, 4, 5 }, new long[] { 2, 3 }));
        Assert.Contains("6 elements", e.Message);
        Assert.Contains("5 values", e.Message);
    }

    [Fact]
    public void OtherBadArguments()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => randint(5, 5, new long[] { 2 }));
        Scalar zeroStep = 0; // a literal 0 would convert to ScalarType and bind to the dtype overload
        Assert.Throws<ArgumentException>(() => arange(0, 5, zeroStep));
        Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
        Assert.Throws<ArgumentException>(() => new Device("tpu"));
        Assert.Throws<ArgumentException>(() => new Device("cuda:x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ones(2, 3).size(2));
        Assert.Throws<ArgumentException>(() => cat(Array.Empty<Tensor>()));
        Assert.Throws<ArgumentException>(() => stack(Array.Empty<Tensor>()));
        var x = ones(new long[] { 2 }, requires_grad: true);
        Assert.Throws<ArgumentException>(() => autograd.backward(new[] { x.sum() }, new[] { ones(1), ones(1) }));
        // libtorch's own argument checks arrive as TorchException with its message.
        var reshape = Assert.Throws<TorchException>(() => ones(2, 3).reshape(4));
        Assert.Contains("shape '[4]' is invalid for input of size 6", reshape.Message);
    }

    [Fact]
    public void TheProcessAndTheNextCallSurviveManyErrors()
    {
        using var scope = NewDisposeScope();
        var a = ones(2, 3);
        var b = ones(4, 5);
        for (var k = 0; k < 50; k++)
            Assert.Throws<TorchException>(() => a.matmul(b));
        // A different error reports its own message, not a stale one.
        var e = Assert.Throws<TorchException>(() => a.reshape(7));
        Assert.DoesNotContain("mat1", e.Message);
        // Errors on another thread stay on that thread.
        Exception? fromThread = null;
        var thread = new Thread(() => fromThread = Record.Exception(() => { using var x = ones(2) + ones(3); }));
        thread.Start();
        thread.Join();
        Assert.IsType<TorchException>(fromThread);
        using var ok = a + 1;
        Assert.Equal(12f, ok.sum().item<float>());
    }
}

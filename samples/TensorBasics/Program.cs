// Tensors, broadcasting, reductions and autograd with MLRobust.Torch: the same lines as in PyTorch.
// Fits y = 2x - 1 with plain gradient descent and checks the gradient of the first step by hand.
using static MLRobust.Torch.torch;

manual_seed(0);

// A dispose scope frees every tensor created inside it when it ends: no native memory leaks.
using (var scope = NewDisposeScope())
{
    var x = linspace(-1, 1, 8).unsqueeze(1);               // [8, 1]
    var y = x * 2 - 1;                                      // broadcasting with scalars
    var w = zeros(new long[] { 1, 1 }, requires_grad: true);
    var b = zeros(new long[] { 1 }, requires_grad: true);

    // d/dw mean((xw + b - y)^2) at w = b = 0 is mean(2 (0 - y) x) = -2 mean(x y).
    var firstLoss = (x.matmul(w) + b - y).pow(2).mean();
    var grads = autograd.grad(new[] { firstLoss }, new[] { w, b });
    var byHand = (x * y).mean() * -2;
    Console.WriteLine($"dL/dw autograd {grads[0]!.item<float>():F5}, by hand {byHand.item<float>():F5}");

    const float learningRate = 0.5f;
    for (var step = 1; step <= 100; step++)
    {
        // Each step's temporaries go in their own scope; w and b live in the outer one.
        using var stepScope = NewDisposeScope();
        var loss = (x.matmul(w) + b - y).pow(2).mean();
        var g = autograd.grad(new[] { loss }, new[] { w, b });
        using (no_grad())
        {
            w.sub_(g[0]! * learningRate);
            b.sub_(g[1]! * learningRate);
        }
        if (step % 25 == 0) Console.WriteLine($"step {step,3}: loss {loss.item<float>():E2}");
    }

    Console.WriteLine($"fitted y = {w.item<float>():F3} x {b.item<float>():+0.000;-0.000} (expected y = 2x - 1)");
    Console.WriteLine($"libtorch {__version__}, {get_num_threads()} CPU threads, CUDA {(cuda.is_available() ? "available" : "not available")}");
}

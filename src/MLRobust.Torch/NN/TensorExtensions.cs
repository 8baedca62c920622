using static MLRobust.Torch.torch;

namespace MLRobust.Torch;

/// <summary>Tensor methods that belong to the nn layer (x.softmax(1), x.log_softmax(1), …),
/// written as extension methods so they read like TorchSharp's instance methods.</summary>
public static class TensorExtensions
{
    public static Tensor softmax(this Tensor input, long dim, ScalarType? dtype = null) => nn.functional.softmax(input, dim, dtype);

    public static Tensor log_softmax(this Tensor input, long dim, ScalarType? dtype = null) => nn.functional.log_softmax(input, dim, dtype);

    public static Tensor leaky_relu(this Tensor input, double negative_slope = 0.01) => nn.functional.leaky_relu(input, negative_slope);
}

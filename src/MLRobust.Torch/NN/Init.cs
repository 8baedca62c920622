namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.init: in-place initialisers (run without recording gradients), with
        /// PyTorch's gains and fan computations. Each returns the tensor it filled.</summary>
        public static class init
        {
            public enum FanInOut
            {
                FanIn = 0,
                FanOut = 1,
            }

            public enum NonlinearityType
            {
                Linear = 0,
                Conv1D = 1,
                Conv2D = 2,
                Conv3D = 3,
                ConvTranspose1D = 4,
                ConvTranspose2D = 5,
                ConvTranspose3D = 6,
                Sigmoid = 7,
                Tanh = 8,
                ReLU = 9,
                LeakyReLU = 10,
                SELU = 11,
            }

            /// <summary>The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh,
            /// √2 for ReLU, √(2/(1+slope²)) for leaky ReLU (slope = param, default 0.01), 3/4 for SELU.</summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double? param = null) => nonlinearity switch
            {
                NonlinearityType.Linear or NonlinearityType.Conv1D or NonlinearityType.Conv2D or NonlinearityType.Conv3D
                    or NonlinearityType.ConvTranspose1D or NonlinearityType.ConvTranspose2D or NonlinearityType.ConvTranspose3D
                    or NonlinearityType.Sigmoid => 1.0,
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                NonlinearityType.SELU => 3.0 / 4,
                _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "calculate_gain: unknown nonlinearity"),
            };

            /// <summary>fan_in = size(1)·receptive field, fan_out = size(0)·receptive field, where the
            /// receptive field is the product of the dimensions after the first two.</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException($"Fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape [{string.Join(", ", shape)}])", nameof(tensor));
                long receptive = 1;
                for (var d = 2; d < shape.Length; d++) receptive *= shape[d];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            public static Tensor uniform_(Tensor tensor, double low = 0, double high = 1)
            {
                if (high < low) throw new ArgumentException($"uniform_: low ({low}) must not exceed high ({high})", nameof(high));
                using (no_grad()) tensor.uniform_(low, high);
                return tensor;
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                if (std < 0) throw new ArgumentOutOfRangeException(nameof(std), std, "normal_: std must be non-negative");
                using (no_grad()) tensor.normal_(mean, std);
                return tensor;
            }

            public static Tensor constant_(Tensor tensor, Scalar val)
            {
                using (no_grad()) tensor.fill_(val);
                return tensor;
            }

            public static Tensor zeros_(Tensor tensor)
            {
                using (no_grad()) tensor.zero_();
                return tensor;
            }

            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>U(-b, b) with b = gain·√(6/(fan_in+fan_out)) (Glorot).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                var a = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -a, a);
            }

            /// <summary>N(0, std²) with std = gain·√(2/(fan_in+fan_out)) (Glorot).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                return normal_(tensor, 0, std);
            }

            /// <summary>U(-b, b) with b = gain·√(3/fan) (He); <paramref name="a"/> is the leaky ReLU slope.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                if (tensor.numel() == 0) return tensor; // PyTorch: a no-op (with a warning)
                var std = KaimingStd(tensor, a, mode, nonlinearity);
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>N(0, std²) with std = gain/√fan (He).</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
                => tensor.numel() == 0 ? tensor : normal_(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity));

            private static double KaimingStd(Tensor tensor, double a, FanInOut mode, NonlinearityType nonlinearity)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var fan = mode switch
                {
                    FanInOut.FanIn => fanIn,
                    FanInOut.FanOut => fanOut,
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "kaiming init: mode must be FanIn or FanOut"),
                };
                return calculate_gain(nonlinearity, a) / Math.Sqrt(fan);
            }
        }
    }
}

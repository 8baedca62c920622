using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_dropout = new("aten::dropout"), s_dropout_ = new("aten::dropout_");
            private static readonly Op s_feature_dropout = new("aten::feature_dropout");

            /// <summary>In training, zeroes each element with probability p and scales the rest by
            /// 1/(1-p); otherwise returns the input (a fresh handle to it).</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                CheckProbability(p, "dropout");
                if (!inplace) return s_dropout.Begin().T(input).D(p).B(training).ToTensor();
                s_dropout_.Begin().T(input).D(p).B(training).Run();
                return input.alias();
            }

            /// <summary>Zeroes whole channels ([N, C, H, W] → per (n, c)) with probability p in training.</summary>
            public static Tensor dropout2d(Tensor input, double p = 0.5, bool training = true)
            {
                CheckProbability(p, "dropout2d");
                return s_feature_dropout.Begin().T(input).D(p).B(training).ToTensor();
            }

            private static void CheckProbability(double p, string function)
            {
                if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{function}: probability must be in [0, 1]");
            }
        }
    }
}

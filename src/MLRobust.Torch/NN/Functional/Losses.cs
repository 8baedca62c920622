using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_cross_entropy = new("aten::cross_entropy_loss"), s_nll_loss = new("aten::nll_loss_nd");
            private static readonly Op s_mse_loss = new("aten::mse_loss"), s_l1_loss = new("aten::l1_loss"), s_smooth_l1_loss = new("aten::smooth_l1_loss");
            private static readonly Op s_bce = new("aten::binary_cross_entropy"), s_bce_logits = new("aten::binary_cross_entropy_with_logits");

            /// <summary>Cross entropy of logits <paramref name="input"/> [N, C, …] against class indices
            /// [N, …] (int64) or class probabilities shaped like input.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            {
                if (label_smoothing < 0 || label_smoothing > 1)
                    throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "cross_entropy: label_smoothing must be in [0, 1]");
                return s_cross_entropy.Begin().T(input).T(target).T(weight).I(ReductionCode(reduction)).I(ignore_index).D(label_smoothing).ToTensor();
            }

            /// <summary>Negative log likelihood of log-probabilities <paramref name="input"/> [N, C, …]
            /// against class indices [N, …].</summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
                => s_nll_loss.Begin().T(input).T(target).T(weight).I(ReductionCode(reduction)).I(ignore_index).ToTensor();

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => s_mse_loss.Begin().T(input).T(target).I(ReductionCode(reduction)).ToTensor();

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => s_l1_loss.Begin().T(input).T(target).I(ReductionCode(reduction)).ToTensor();

            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
            {
                if (beta < 0) throw new ArgumentOutOfRangeException(nameof(beta), beta, "smooth_l1_loss: beta must be non-negative");
                return s_smooth_l1_loss.Begin().T(input).T(target).I(ReductionCode(reduction)).D(beta).ToTensor();
            }

            /// <summary>Binary cross entropy of probabilities <paramref name="input"/> (in [0, 1])
            /// against targets of the same shape.</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
            {
                CheckSameShape(input, target, "binary_cross_entropy");
                return s_bce.Begin().T(input).T(target).T(weight).I(ReductionCode(reduction)).ToTensor();
            }

            /// <summary>Sigmoid + binary cross entropy in one numerically stable step; pos_weight
            /// scales the positive term per class.</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null,
                Reduction reduction = Reduction.Mean, Tensor? pos_weight = null)
            {
                CheckSameShape(input, target, "binary_cross_entropy_with_logits");
                return s_bce_logits.Begin().T(input).T(target).T(weight).T(pos_weight).I(ReductionCode(reduction)).ToTensor();
            }

            private static long ReductionCode(Reduction reduction) => reduction switch
            {
                Reduction.None or Reduction.Mean or Reduction.Sum => (long)reduction,
                _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "unknown reduction: expected None, Mean or Sum"),
            };

            private static void CheckSameShape(Tensor input, Tensor target, string function)
            {
                var a = input.shape;
                var b = target.shape;
                if (!a.SequenceEqual(b))
                    throw new ArgumentException($"{function}: target shape [{string.Join(", ", b)}] must equal input shape [{string.Join(", ", a)}]", nameof(target));
            }
        }
    }
}

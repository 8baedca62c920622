using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Adam (Kingma and Ba), with optional AMSGrad and L2 weight decay added to the gradient.</summary>
    public sealed class Adam : AdamFamily
    {
        public sealed class ParamGroup : AdamParamGroup
        {
            public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null, double? beta1 = null, double? beta2 = null, double? eps = null,
                double? weight_decay = null, bool? amsgrad = null, bool? maximize = null)
                : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) { }
        }

        internal Adam(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
            : base(groups, Defaults(lr, beta1, beta2, eps, weight_decay, amsgrad, maximize), decoupledWeightDecay: false) { }

        private static ParamGroup Defaults(double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        {
            var d = new ParamGroup(Array.Empty<Parameter>());
            d.SetAll(lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
            return d;
        }

        private protected override bool IsGroupType(optim.ParamGroup group) => group is ParamGroup;
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class optim
        {
            public static Modules.Adam Adam(IEnumerable<Modules.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                => new(new[] { new Modules.Adam.ParamGroup(parameters) }, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

            public static Modules.Adam Adam(IEnumerable<Modules.Adam.ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                => new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
        }
    }
}

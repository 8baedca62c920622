using static MLRobust.Torch.torch;
using static MLRobust.Torch.Modules.LayerSupport;

namespace MLRobust.Torch.Modules
{
    /// <summary>y = x Wᵀ + b over the last dimension; weight [out_features, in_features].</summary>
    public sealed class Linear : nn.Module<Tensor, Tensor>
    {
        internal Linear(long inputSize, long outputSize, bool hasBias, Device? device, ScalarType? dtype) : base(nameof(Linear))
        {
            Positive(inputSize, nameof(inputSize), GetName());
            Positive(outputSize, nameof(outputSize), GetName());
            in_features = inputSize;
            out_features = outputSize;
            weight = EmptyParameter(new[] { outputSize, inputSize }, device, dtype);
            if (hasBias) bias = EmptyParameter(new[] { outputSize }, device, dtype);
            reset_parameters();
        }

        public long in_features { get; }
        public long out_features { get; }

        public Parameter weight
        {
            get => _weight;
            set
            {
                ArgumentNullException.ThrowIfNull(value, nameof(weight));
                register_parameter(nameof(weight), value);
                _weight = value;
            }
        }

        public Parameter? bias
        {
            get => _bias;
            set
            {
                register_parameter(nameof(bias), value);
                _bias = value;
            }
        }

        private Parameter _weight = null!;
        private Parameter? _bias;

        /// <summary>PyTorch's default initialisation: weight and bias U(±1/√in_features).</summary>
        public void reset_parameters() => ResetLinearOrConv(_weight, _bias);

        public override Tensor forward(Tensor input) => nn.functional.linear(input, _weight, _bias);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.Linear Linear(long inputSize, long outputSize, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
                => new(inputSize, outputSize, hasBias, device, dtype);
        }
    }
}

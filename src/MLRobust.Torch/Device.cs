namespace MLRobust.Torch;

public static partial class torch
{
    /// <summary>Where a tensor lives: "cpu", "cuda", "cuda:1". Converts implicitly from a string.</summary>
    public sealed class Device : IEquatable<Device>
    {
        public Device(DeviceType type, int index = -1)
        {
            this.type = type;
            this.index = index;
        }

        public Device(string description)
        {
            var text = description.Trim().ToLowerInvariant();
            var colon = text.IndexOf(':');
            var name = colon < 0 ? text : text[..colon];
            type = name switch
            {
                "cpu" => DeviceType.CPU,
                "cuda" => DeviceType.CUDA,
                "mps" => DeviceType.MPS,
                "meta" => DeviceType.META,
                _ => throw new ArgumentException($"unknown device '{description}': expected cpu, cuda or cuda:N", nameof(description)),
            };
            var parsed = -1;
            if (colon >= 0 && (!int.TryParse(text[(colon + 1)..], out parsed) || parsed < 0))
                throw new ArgumentException($"bad device index in '{description}'", nameof(description));
            index = parsed;
        }

        public DeviceType type { get; }
        public int index { get; }

        public static implicit operator Device(string description) => new(description);

        public bool Equals(Device? other) => other is not null && other.type == type && other.index == index;
        public override bool Equals(object? obj) => obj is Device d && Equals(d);
        public override int GetHashCode() => HashCode.Combine(type, index);

        public override string ToString()
        {
            var name = type.ToString().ToLowerInvariant();
            return index >= 0 ? $"{name}:{index}" : name;
        }
    }

    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>The default CUDA device (creating it does not initialise CUDA).</summary>
    public static Device CUDA => new(DeviceType.CUDA);

    public static Device device(string description) => new(description);
    public static Device device(DeviceType type, int index = -1) => new(type, index);
}

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces its per-element values; numbered as ATen's reduction argument.</summary>
        public enum Reduction
        {
            None = 0,
            Mean = 1,
            Sum = 2,
        }
    }
}

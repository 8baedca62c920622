namespace MLRobust.Torch;

/// <summary>How padding fills the border: zeros/constant, mirror without the edge (reflect),
/// repeat the edge (replicate) or wrap around (circular). Zeros is the convolution default,
/// Constant the pad() default.</summary>
public enum PaddingModes
{
    Zeros = 0,
    Reflect = 1,
    Replicate = 2,
    Circular = 3,
    Constant = 4,
}

/// <summary>String-valued convolution padding: Valid (none) or Same (output size = input size, stride 1).</summary>
public enum Padding
{
    Valid = 0,
    Same = 1,
}

/// <summary>Resampling used by interpolate and Upsample.</summary>
public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
    Bicubic = 2,
}

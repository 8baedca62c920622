namespace MLRobust.Attacks;

/// <summary>The precision of the adversarial images an attack delivers, and so of what its results describe.</summary>
public enum AttackPrecision
{
    /// <summary>32-bit floats, as computed.</summary>
    Float32,

    /// <summary>Rounded to 256 grey levels of the input range, as 8-bit PNG files and byte image columns hold them.</summary>
    GreyLevels8,
}

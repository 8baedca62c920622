namespace MLRobust.ML;

/// <summary>A 128-bit row identifier, unique within a data view.</summary>
public readonly record struct DataViewRowId(ulong Low, ulong High)
{
    public override string ToString() => High == 0 ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{High:X16}{Low:X16}";
}

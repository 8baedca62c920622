using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Reads a numeric or key column of a row as double.</summary>
internal static class NumericReader
{
    internal static Func<double> Scalar(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(float)) { var g = row.GetGetter<float>(column); return () => { float v = 0; g(ref v); return v; }; }
        if (raw == typeof(double)) { var g = row.GetGetter<double>(column); return () => { double v = 0; g(ref v); return v; }; }
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); return () => { uint v = 0; g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); return () => { ulong v = 0; g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); return () => { ushort v = 0; g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); return () => { byte v = 0; g(ref v); return v; }; }
        if (raw == typeof(int)) { var g = row.GetGetter<int>(column); return () => { int v = 0; g(ref v); return v; }; }
        if (raw == typeof(long)) { var g = row.GetGetter<long>(column); return () => { long v = 0; g(ref v); return v; }; }
        if (raw == typeof(short)) { var g = row.GetGetter<short>(column); return () => { short v = 0; g(ref v); return v; }; }
        if (raw == typeof(sbyte)) { var g = row.GetGetter<sbyte>(column); return () => { sbyte v = 0; g(ref v); return v; }; }
        throw new SchemaMismatchException("column", "numeric", column.Name, "a number or key type", column.Type.ToString()!);
    }
}

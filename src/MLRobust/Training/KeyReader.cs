using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Training;

/// <summary>Reads a key column of any raw type as ulong (0 = missing).</summary>
internal static class KeyReader
{
    internal static Func<ulong> Create(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); return () => { uint v = 0; g(ref v); return v; }; }
        if (raw == typeof(byte)) { var g = row.GetGetter<byte>(column); return () => { byte v = 0; g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); return () => { ushort v = 0; g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); return () => { ulong v = 0; g(ref v); return v; }; }
        throw new SchemaMismatchException("data", "label", column.Name, "a key type", column.Type.ToString()!);
    }
}

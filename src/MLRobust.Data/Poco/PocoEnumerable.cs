using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Reads a data view back into objects (CreateEnumerable), lazily.</summary>
internal static class PocoEnumerable
{
    internal static IEnumerable<TRow> Create<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns, SchemaDefinition? definition)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        definition ??= SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Write);
        var bindings = MemberBinding.For(typeof(TRow), definition);
        var pairs = new List<(MemberBinding Binding, DataViewSchema.Column Column)>();
        foreach (var b in bindings)
        {
            var column = data.Schema.GetColumnOrNull(b.ColumnName);
            if (column is null)
            {
                if (ignoreMissingColumns) continue;
                throw new SchemaMismatchException(nameof(data), "source", b.ColumnName);
            }
            if (!b.Accepts(column.Value.Type))
                throw new SchemaMismatchException(nameof(data), "source", b.ColumnName, $"{b.ColumnType} (member {typeof(TRow).Name}.{b.Member.Name})", column.Value.Type.ToString()!);
            pairs.Add((b, column.Value));
        }
        return Iterate();

        IEnumerable<TRow> Iterate()
        {
            using var cursor = data.GetRowCursor(pairs.Select(p => p.Column));
            var fillers = pairs.Select(p => p.Binding.MakeFiller(cursor, p.Column)).ToArray();
            TRow? reused = null;
            while (cursor.MoveNext())
            {
                var row = reuseRowObject ? reused ??= new TRow() : new TRow();
                foreach (var fill in fillers) fill(row);
                yield return row;
            }
        }
    }
}

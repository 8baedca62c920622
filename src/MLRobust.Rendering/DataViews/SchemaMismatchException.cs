using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust;

/// <summary>
/// A column a component needs is missing or has the wrong type:
/// <c>Schema mismatch for input column 'X': expected Vector&lt;Single, 4096&gt;, got String</c>.
/// It is an <see cref="ArgumentOutOfRangeException"/>, as ML.NET's schema errors are.
/// </summary>
public class SchemaMismatchException : ArgumentOutOfRangeException
{
    public SchemaMismatchException(string paramName, string columnRole, string columnName, string expectedType, string actualType)
        : base(paramName, $"Schema mismatch for {columnRole} column '{columnName}': expected {expectedType}, got {actualType}")
    {
        ColumnName = columnName;
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>The column is missing altogether.</summary>
    public SchemaMismatchException(string paramName, string columnRole, string columnName)
        : base(paramName, $"Could not find {columnRole} column '{columnName}'")
    {
        ColumnName = columnName;
    }

    public string ColumnName { get; }
    public string? ExpectedType { get; }
    public string? ActualType { get; }

    /// <summary>The message without .NET's "(Parameter ...)" suffix.</summary>
    public string Reason => base.Message.Split(" (Parameter", 2)[0];

    /// <summary>Finds <paramref name="columnName"/> in <paramref name="schema"/> or throws "Could not find input column".</summary>
    public static DataViewSchema.Column FindColumn(DataViewSchema schema, string columnName, string columnRole = "input", string paramName = "inputSchema") =>
        schema.GetColumnOrNull(columnName) ?? throw new SchemaMismatchException(paramName, columnRole, columnName);

    /// <summary>Finds the column and checks that its type is <paramref name="expected"/>.</summary>
    public static DataViewSchema.Column CheckColumn(DataViewSchema schema, string columnName, DataViewType expected, string columnRole = "input", string paramName = "inputSchema")
    {
        var column = FindColumn(schema, columnName, columnRole, paramName);
        if (!column.Type.Equals(expected)) throw new SchemaMismatchException(paramName, columnRole, columnName, expected.ToString()!, column.Type.ToString()!);
        return column;
    }

    /// <summary>Finds the column in a schema shape.</summary>
    public static SchemaShape.Column FindColumn(SchemaShape shape, string columnName, string columnRole = "input", string paramName = "inputSchema") =>
        shape.FirstOrDefault(c => c.Name == columnName) is { Name: not null } column ? column : throw new SchemaMismatchException(paramName, columnRole, columnName);
}

namespace MLRobust.ML;

/// <summary>Something that can write itself into a model file.</summary>
public interface ICanSaveModel
{
    void Save(ModelSaveContext ctx);
}

/// <summary>
/// A fitted, reusable data transformation. <see cref="Transform"/> is lazy: it returns a view that computes
/// nothing until a cursor pulls rows. (ML.NET's IsRowToRowMapper/GetRowToRowMapper are left out: single-row
/// scoring goes through <see cref="PredictionEngine{TSrc, TDst}"/>.)
/// </summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>The schema <see cref="Transform"/> would produce; throws a <see cref="SchemaMismatchException"/>
    /// when an input column is missing or has the wrong type.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    IDataView Transform(IDataView input);
}

/// <summary>Learns a transformer from data.</summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Checks the input schema, then trains.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The shape of the output for an input of the given shape; throws when the input does not fit.</summary>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}

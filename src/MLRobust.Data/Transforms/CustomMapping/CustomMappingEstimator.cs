using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Creates a <see cref="CustomMappingTransformer{TSrc, TDst}"/>; nothing to learn.</summary>
public sealed class CustomMappingEstimator<TSrc, TDst> : TrivialEstimator<CustomMappingTransformer<TSrc, TDst>>
    where TSrc : class, new()
    where TDst : class, new()
{
    public CustomMappingEstimator(IHostEnvironment env, Action<TSrc, TDst> mapAction, string? contractName,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        : base(env, new CustomMappingTransformer<TSrc, TDst>(env, mapAction, contractName, inputSchemaDefinition, outputSchemaDefinition)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var column in Transformer.InputDefinition)
        {
            var found = SchemaMismatchException.FindColumn(inputSchema, column.ColumnName);
            var expected = SchemaShape.Column.FromType(column.ColumnName, column.ColumnType);
            if (!found.ItemType.RawType.Equals(expected.ItemType.RawType) || (found.Kind == SchemaShape.Column.VectorKind.Scalar) != (expected.Kind == SchemaShape.Column.VectorKind.Scalar))
                throw new SchemaMismatchException(nameof(inputSchema), "input", column.ColumnName, expected.GetTypeString(), found.GetTypeString());
        }
        return inputSchema.With(Transformer.OutputDefinition.Select(c => SchemaShape.Column.FromType(c.ColumnName, c.ColumnType)).ToArray());
    }
}

using System.Reflection;

namespace MLRobust.ML.Data;

/// <summary>
/// How the members of a class map to data view columns: by default built from the class's public fields and
/// properties and their attributes (<see cref="Create"/>); entries can be edited, e.g. to set a vector size
/// known only at run time.
/// </summary>
public sealed class SchemaDefinition : List<SchemaDefinition.Column>
{
    [Flags]
    public enum Direction
    {
        /// <summary>Members read from (used for LoadFromEnumerable).</summary>
        Read = 1,
        /// <summary>Members written to (used for CreateEnumerable).</summary>
        Write = 2,
        Both = Read | Direction.Write,
    }

    /// <summary>One member-to-column mapping.</summary>
    public sealed class Column
    {
        public Column(string memberName, DataViewType columnType, string? columnName = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(memberName);
            MemberName = memberName;
            ColumnType = columnType ?? throw new ArgumentNullException(nameof(columnType));
            ColumnName = columnName ?? memberName;
        }

        public string MemberName { get; set; }
        public string ColumnName { get; set; }
        public DataViewType ColumnType { get; set; }

        /// <summary>Annotations to attach to the column (e.g. key values).</summary>
        public DataViewSchema.Annotations? Annotations { get; set; }
    }

    /// <summary>The column called <paramref name="columnName"/>.</summary>
    public Column this[string columnName] =>
        this.FirstOrDefault(c => c.ColumnName == columnName) ?? throw new ArgumentOutOfRangeException(nameof(columnName), $"Column '{columnName}' not found in the schema definition");

    /// <summary>The mapping of <paramref name="userType"/>'s public fields and properties, in declaration order,
    /// skipping [NoColumn] members and, per <paramref name="direction"/>, members that can't be read or written.</summary>
    public static SchemaDefinition Create(Type userType, Direction direction = Direction.Both)
    {
        ArgumentNullException.ThrowIfNull(userType);
        var definition = new SchemaDefinition();
        foreach (var member in PocoMembers.Of(userType, direction))
        {
            var type = PocoMembers.ColumnTypeOf(userType, member);
            var name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            if (definition.Any(c => c.ColumnName == name))
                throw new InvalidOperationException($"{userType.Name} maps two members to column '{name}'.");
            definition.Add(new Column(member.Name, type, name));
        }
        return definition;
    }
}

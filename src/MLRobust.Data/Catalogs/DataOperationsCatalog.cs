using System.Reflection;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary><c>mlContext.Data</c>: loading data, reading it back as objects, splitting, shuffling, filtering, caching.</summary>
public sealed class DataOperationsCatalog : CatalogBase
{
    internal DataOperationsCatalog(IHostEnvironment env) : base(env) { }

    /// <summary>A data view over objects; columns come from <typeparamref name="TRow"/>'s public members and their
    /// attributes ([ColumnName], [VectorType], [KeyType], [ImageType], [NoColumn]) or from <paramref name="schemaDefinition"/>.
    /// An <see cref="IList{T}"/> gives a view that knows its size and shuffles; other enumerables stream.</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, SchemaDefinition? schemaDefinition = null) where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data, schemaDefinition ?? SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read));
    }

    /// <summary>A data view over objects whose column types and annotations are taken from <paramref name="schema"/> (by name).</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, DataViewSchema schema) where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schema);
        var definition = SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read);
        foreach (var column in definition)
        {
            var match = schema.GetColumnOrNull(column.ColumnName);
            if (match is null) continue;
            column.ColumnType = match.Value.Type;
            column.Annotations = match.Value.Annotations;
        }
        return new EnumerableDataView<TRow>(data, definition);
    }

    /// <summary>The rows of <paramref name="data"/> as objects, lazily. With <paramref name="reuseRowObject"/> the same
    /// object is refilled for every row.</summary>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false, SchemaDefinition? schemaDefinition = null)
        where TRow : class, new() =>
        PocoEnumerable.Create<TRow>(data, reuseRowObject, ignoreMissingColumns, schemaDefinition);

    /// <summary>
    /// Splits rows into train and test sets, each lazy. Every row goes to the test set with probability
    /// <paramref name="testFraction"/>, decided by a seeded hash of its position, or of its value in
    /// <paramref name="samplingKeyColumnName"/> so that rows sharing a key stay together (e.g. all renders of one model).
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Must be between 0 and 1 exclusive");
        var splitSeed = seed ?? Environment.NextSeed();
        DataViewSchema.Column[] keyColumns = Array.Empty<DataViewSchema.Column>();
        if (samplingKeyColumnName != null)
        {
            var key = SchemaMismatchException.FindColumn(data.Schema, samplingKeyColumnName, "sampling key", nameof(samplingKeyColumnName));
            if (key.Type is VectorDataViewType or ImageDataViewType)
                throw new SchemaMismatchException(nameof(samplingKeyColumnName), "sampling key", key.Name, "a scalar column (text, number, key or boolean)", key.Type.ToString()!);
            keyColumns = new[] { key };
        }
        IDataView Side(bool test) => new RowFilterDataView(data, keyColumns, cursor =>
        {
            Func<double> value = keyColumns.Length == 0
                ? () => SplitHash.OfPosition(splitSeed, cursor.Position)
                : SplitHash.ForKeyColumn(cursor, keyColumns[0], splitSeed);
            return () => (value() < testFraction) == test;
        }, allowShuffle: keyColumns.Length > 0);
        return new TrainTestData(Side(false), Side(true));
    }

    /// <summary>The rows in a random but seeded order (see the remarks of ML.NET's ShuffleRows): a source that can
    /// shuffle is asked to; otherwise rows pass through a pool of <paramref name="shufflePoolSize"/>.</summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = 1000, bool shuffleSource = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (shufflePoolSize < 1) throw new ArgumentOutOfRangeException(nameof(shufflePoolSize), shufflePoolSize, "The pool must hold at least one row.");
        return new ShuffleDataView(input, seed ?? Environment.NextSeed(), shufflePoolSize, shuffleSource);
    }

    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Can't take a negative number of rows.");
        return new SkipTakeDataView(input, 0, count);
    }

    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Can't skip a negative number of rows.");
        return new SkipTakeDataView(input, count, long.MaxValue);
    }

    /// <summary>Keeps the rows whose <paramref name="columnName"/> value v satisfies lowerBound &lt;= v &lt; upperBound
    /// (Single, Double or key columns; NaN is dropped).</summary>
    public IDataView FilterRowsByColumn(IDataView input, string columnName, double lowerBound = double.NegativeInfinity, double upperBound = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(lowerBound < upperBound)) throw new ArgumentOutOfRangeException(nameof(upperBound), upperBound, "Must be greater than lowerBound");
        var column = SchemaMismatchException.FindColumn(input.Schema, columnName, "filter", nameof(columnName));
        var type = column.Type;
        if (type != NumberDataViewType.Single && type != NumberDataViewType.Double && type is not KeyDataViewType)
            throw new SchemaMismatchException(nameof(columnName), "filter", columnName, "Single, Double or a key type", type.ToString()!);
        return new RowFilterDataView(input, new[] { column }, cursor =>
        {
            var value = NumericReader.Scalar(cursor, column);
            return () =>
            {
                var v = value();
                return v >= lowerBound && v < upperBound;
            };
        }, allowShuffle: true);
    }

    /// <summary>Keeps the data in memory after the first pass (columns are cached as cursors first need them;
    /// <paramref name="columnsToPrefetch"/> are cached with the first pass whatever it asks for). The cached view shuffles.</summary>
    public IDataView Cache(IDataView input, params string[] columnsToPrefetch)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prefetch = (columnsToPrefetch ?? Array.Empty<string>())
            .Select(n => SchemaMismatchException.FindColumn(input.Schema, n, "prefetch", nameof(columnsToPrefetch)).Index).ToArray();
        return new CacheDataView(Environment, input, prefetch);
    }

    /// <summary>Loads a delimited text file with the given columns (ML.NET's defaults: tab-separated, no header).</summary>
    public IDataView LoadFromTextFile(string path, TextLoader.Column[] columns, char separatorChar = '\t', bool hasHeader = false,
        bool allowQuoting = false, bool trimWhitespace = false) =>
        new TextLoader(new TextLoader.Options
        {
            Columns = columns ?? throw new ArgumentNullException(nameof(columns)),
            Separator = separatorChar,
            HasHeader = hasHeader,
            AllowQuoting = allowQuoting,
            TrimWhitespace = trimWhitespace,
        }).Load(path);

    public IDataView LoadFromTextFile(string path, TextLoader.Options options) => new TextLoader(options).Load(path);

    /// <summary>Loads a delimited text file into the columns of <typeparamref name="TInput"/>, whose members say which
    /// fields they read with [LoadColumn].</summary>
    public IDataView LoadFromTextFile<TInput>(string path, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false)
    {
        var columns = new List<TextLoader.Column>();
        foreach (var member in PocoMembers.Of(typeof(TInput), SchemaDefinition.Direction.Write))
        {
            var load = member.GetCustomAttribute<LoadColumnAttribute>()
                ?? throw new InvalidOperationException($"Member {typeof(TInput).Name}.{member.Name} has no [LoadColumn] attribute; add one or mark it [NoColumn].");
            var type = PocoMembers.ColumnTypeOf(typeof(TInput), member);
            var item = type.GetItemType();
            var kind = DataKindExtensions.FromRawType(item.RawType);
            var name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            var ranges = load.Indices.Select(i => new TextLoader.Range(i)).ToArray();
            if (type is VectorDataViewType && ranges.Length == 1) ranges = new[] { new TextLoader.Range(load.Indices[0]), };
            var column = new TextLoader.Column(name, kind, ranges, item is KeyDataViewType key ? new TextLoader.KeyCount(key.Count) : null);
            if (type is not VectorDataViewType && ranges.Length > 1)
                throw new InvalidOperationException($"Member {typeof(TInput).Name}.{member.Name} reads {ranges.Length} fields but is not an array.");
            columns.Add(column);
        }
        return LoadFromTextFile(path, columns.ToArray(), separatorChar, hasHeader, allowQuoting, trimWhitespace);
    }

    /// <summary>Loads a CSV file with a header row: every header field becomes a text column of that name.</summary>
    public IDataView LoadFromCsvFile(string path, char separatorChar = ',', bool allowQuoting = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Text file '{path}' does not exist.", path);
        string first;
        using (var reader = new StreamReader(path)) first = reader.ReadLine() ?? throw new InvalidDataException($"Text file '{path}' is empty but a header was expected.");
        var header = DelimitedLine.Split(first, separatorChar, allowQuoting, true, path, 1);
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new InvalidDataException($"Text file '{path}' has header field '{duplicate.Key}' twice.");
        if (header.Any(string.IsNullOrEmpty)) throw new InvalidDataException($"Text file '{path}' has an empty header field.");
        return LoadFromTextFile(path, header.Select(h => new TextLoader.Column(h, DataKind.String, h)).ToArray(), separatorChar, hasHeader: true, allowQuoting: allowQuoting);
    }

    /// <summary>
    /// A dataset laid out one folder per class (ImageNet, ASL): every PNG/JPEG file under <c>folderPath/&lt;class&gt;/</c>
    /// (searched recursively) becomes a row {<paramref name="imagePathColumnName"/>: full path, <paramref name="labelColumnName"/>: the class folder's name}.
    /// Classes and files are sorted ordinally, so the order is the same on every machine.
    /// </summary>
    public IDataView LoadFromImageFolder(string folderPath, string imagePathColumnName = "ImagePath", string labelColumnName = "Label")
    {
        ArgumentException.ThrowIfNullOrEmpty(folderPath);
        ArgumentException.ThrowIfNullOrEmpty(imagePathColumnName);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        if (imagePathColumnName == labelColumnName) throw new ArgumentException("The path and label columns need different names.", nameof(labelColumnName));
        if (!Directory.Exists(folderPath)) throw new DirectoryNotFoundException($"Image folder '{folderPath}' does not exist.");
        var root = Path.GetFullPath(folderPath);
        var paths = new List<ReadOnlyMemory<char>>();
        var labels = new List<ReadOnlyMemory<char>>();
        foreach (var classFolder in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var label = Path.GetFileName(classFolder);
            var files = Directory.GetFiles(classFolder, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg")
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                paths.Add(file.AsMemory());
                labels.Add(label.AsMemory());
            }
        }
        if (paths.Count == 0)
            throw new InvalidDataException($"Image folder '{folderPath}' holds no class folders with .png or .jpg files.");
        return ArrayDataView.FromArrays(
            (imagePathColumnName, TextDataViewType.Instance, paths.ToArray()),
            (labelColumnName, TextDataViewType.Instance, labels.ToArray()));
    }
}

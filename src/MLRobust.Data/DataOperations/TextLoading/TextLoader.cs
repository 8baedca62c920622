using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>
/// Reads delimited text files (CSV, TSV) as data views, lazily: each cursor streams the file and parses only the
/// columns it was asked for. Columns are given by field index (ML.NET's way) or, with a header, by header name.
/// </summary>
public sealed class TextLoader
{
    /// <summary>A loaded column: its name, kind and where its fields are.</summary>
    public sealed class Column
    {
        public Column(string name, DataKind dataKind, int index) : this(name, dataKind, new[] { new Range(index) }) { }

        public Column(string name, DataKind dataKind, int minIndex, int maxIndex) : this(name, dataKind, new[] { new Range(minIndex, maxIndex) }) { }

        public Column(string name, DataKind dataKind, Range[] source, KeyCount? keyCount = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            Name = name;
            DataKind = dataKind;
            Source = source ?? throw new ArgumentNullException(nameof(source));
            if (source.Length == 0) throw new ArgumentException($"Column '{name}' needs at least one source range.", nameof(source));
            KeyCount = keyCount;
        }

        /// <summary>A column read from the field whose header is <paramref name="headerName"/> (needs hasHeader).</summary>
        public Column(string name, DataKind dataKind, string headerName)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentException.ThrowIfNullOrEmpty(headerName);
            Name = name;
            DataKind = dataKind;
            HeaderName = headerName;
            Source = Array.Empty<Range>();
        }

        public string Name { get; set; }
        public DataKind DataKind { get; set; }
        public Range[] Source { get; set; }
        public string? HeaderName { get; }

        /// <summary>When set, the column is a key column of this many values (field values are 0-based key indices).</summary>
        public KeyCount? KeyCount { get; set; }
    }

    /// <summary>An inclusive range of field indices; a single index when <see cref="Max"/> equals <see cref="Min"/>.</summary>
    public sealed class Range
    {
        public Range(int index) : this(index, index) { }

        public Range(int min, int max)
        {
            if (min < 0) throw new ArgumentOutOfRangeException(nameof(min), "Field indices can't be negative.");
            if (max < min) throw new ArgumentOutOfRangeException(nameof(max), "A range can't end before it starts.");
            Min = min;
            Max = max;
        }

        public int Min { get; }
        public int Max { get; }
    }

    /// <summary>The number of values of a key column.</summary>
    public sealed class KeyCount
    {
        public KeyCount(ulong count) => Count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count));
        public ulong Count { get; }
    }

    public sealed class Options
    {
        public Column[] Columns = Array.Empty<Column>();
        public char Separator = '\t';
        public bool HasHeader;
        public bool AllowQuoting;
        public bool TrimWhitespace;
    }

    private readonly Options _options;

    public TextLoader(Options options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The file as a lazy data view (the file is read when cursors move; its header now, to resolve names).</summary>
    public IDataView Load(string path) => new TextFileDataView(path, _options);
}

using System.Globalization;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>The lazy view over a delimited text file.</summary>
internal sealed class TextFileDataView : IDataView
{
    private readonly string _path;
    private readonly TextLoader.Options _options;
    private readonly int[][] _fields;

    internal TextFileDataView(string path, TextLoader.Options options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Text file '{path}' does not exist.", path);
        if (options.Columns is null || options.Columns.Length == 0) throw new ArgumentException("Give at least one column to load.", nameof(options));
        _path = path;
        _options = options;
        string[]? header = null;
        if (options.HasHeader)
        {
            using var reader = new StreamReader(path);
            var first = reader.ReadLine() ?? throw new InvalidDataException($"Text file '{path}' is empty but a header was expected.");
            header = DelimitedLine.Split(first, options.Separator, options.AllowQuoting, true, path, 1).ToArray();
        }
        var builder = new DataViewSchema.Builder();
        _fields = new int[options.Columns.Length][];
        for (var c = 0; c < options.Columns.Length; c++)
        {
            var column = options.Columns[c];
            int[] fields;
            if (column.HeaderName != null)
            {
                if (header is null) throw new ArgumentException($"Column '{column.Name}' names header field '{column.HeaderName}' but hasHeader is false.", nameof(options));
                var index = Array.IndexOf(header, column.HeaderName);
                if (index < 0) throw new InvalidDataException($"Text file '{path}' has no header field '{column.HeaderName}' (it has: {string.Join(", ", header)}).");
                fields = new[] { index };
            }
            else
            {
                fields = column.Source.SelectMany(r => Enumerable.Range(r.Min, r.Max - r.Min + 1)).ToArray();
            }
            _fields[c] = fields;
            PrimitiveDataViewType item = column.DataKind.ToDataViewType();
            if (column.KeyCount != null)
            {
                if (item is not NumberDataViewType || !(item.RawType == typeof(uint) || item.RawType == typeof(ulong) || item.RawType == typeof(ushort) || item.RawType == typeof(byte)))
                    throw new ArgumentException($"Key column '{column.Name}' must be an unsigned integer kind, not {column.DataKind}.", nameof(options));
                item = new KeyDataViewType(item.RawType, column.KeyCount.Count);
            }
            var isVector = column.HeaderName is null && (column.Source.Length > 1 || column.Source[0].Max > column.Source[0].Min);
            builder.AddColumn(column.Name, isVector ? new VectorDataViewType(item, fields.Length) : item);
        }
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => false;
    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, CursorChecks.ActiveFlags(Schema, columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : RootCursorBase
    {
        private readonly TextFileDataView _parent;
        private readonly StreamReader _reader;
        private readonly Delegate?[] _getters;
        private List<string>? _fields;
        private long _lineNumber;

        public Cursor(TextFileDataView parent, bool[] active)
        {
            _parent = parent;
            _reader = new StreamReader(parent._path);
            _getters = new Delegate?[active.Length];
            for (var c = 0; c < active.Length; c++)
            {
                if (!active[c]) continue;
                var type = parent.Schema[c].Type;
                var method = typeof(Cursor).GetMethod(type is VectorDataViewType ? nameof(MakeVectorGetter) : nameof(MakeScalarGetter),
                    System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.MakeGenericMethod(type.GetItemType().RawType);
                _getters[c] = (Delegate)method.Invoke(this, new object[] { c })!;
            }
            if (parent._options.HasHeader)
            {
                _reader.ReadLine();
                _lineNumber = 1;
            }
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] != null;
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => CheckGetter<TValue>(column, _getters[column.Index]);

        protected override bool MoveNextCore()
        {
            while (true)
            {
                var line = _reader.ReadLine();
                _lineNumber++;
                if (line is null)
                {
                    _fields = null;
                    return false;
                }
                if (line.Length == 0 || line.All(char.IsWhiteSpace)) continue;
                var o = _parent._options;
                _fields = DelimitedLine.Split(line, o.Separator, o.AllowQuoting, o.TrimWhitespace, _parent._path, _lineNumber);
                return true;
            }
        }

        private string Field(int column, int field)
        {
            if (_fields is null) throw new InvalidOperationException("The cursor is not on a row.");
            if (field >= _fields.Count)
                throw new FormatException($"File '{_parent._path}', line {_lineNumber}: column '{_parent.Schema[column].Name}' reads field {field} but the line has {_fields.Count} fields.");
            return _fields[field];
        }

        private ValueGetter<T> MakeScalarGetter<T>(int column)
        {
            var field = _parent._fields[column][0];
            var parse = Parser<T>(column);
            return (ref T dst) => dst = parse(Field(column, field));
        }

        private ValueGetter<VBuffer<T>> MakeVectorGetter<T>(int column)
        {
            var fields = _parent._fields[column];
            var parse = Parser<T>(column);
            return (ref VBuffer<T> dst) =>
            {
                var editor = VBufferEditor.Create(ref dst, fields.Length);
                for (var i = 0; i < fields.Length; i++) editor.Values[i] = parse(Field(column, fields[i]));
                dst = editor.Commit();
            };
        }

        private Func<string, T> Parser<T>(int column)
        {
            var name = _parent.Schema[column].Name;
            var isKey = _parent.Schema[column].Type.GetItemType() is KeyDataViewType;
            var keyCount = _parent.Schema[column].Type.GetKeyCount();
            FormatException Bad(string text) => new($"File '{_parent._path}', line {_lineNumber}, column '{name}': '{text}' is not a valid {typeof(T).Name}.");
            object Parse(string text)
            {
                var inv = CultureInfo.InvariantCulture;
                if (typeof(T) == typeof(ReadOnlyMemory<char>)) return text.AsMemory();
                if (typeof(T) == typeof(float)) return text.Length == 0 ? float.NaN : float.TryParse(text, NumberStyles.Float, inv, out var f) ? f : throw Bad(text);
                if (typeof(T) == typeof(double)) return text.Length == 0 ? double.NaN : double.TryParse(text, NumberStyles.Float, inv, out var d) ? d : throw Bad(text);
                if (typeof(T) == typeof(bool))
                {
                    if (text.Length == 0) return false;
                    if (bool.TryParse(text, out var b)) return b;
                    return text switch { "1" => true, "0" => false, _ => throw Bad(text) };
                }
                if (text.Length == 0) return Convert.ChangeType(0, typeof(T), inv);
                try
                {
                    var value = Convert.ChangeType(text, typeof(T), inv);
                    if (isKey)
                    {
                        // Fields hold 0-based category indices; keys are 1-based.
                        var k = Convert.ToUInt64(value, inv);
                        if (k >= keyCount) throw Bad(text);
                        return Convert.ChangeType(k + 1, typeof(T), inv);
                    }
                    return value;
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
                {
                    throw Bad(text);
                }
            }
            return text => (T)Parse(text);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _reader.Dispose();
            base.Dispose(disposing);
        }
    }
}

using System.Text;

namespace MLRobust.Rendering.Scenes;

/// <summary>The little CSV the scene manifest and pose files need: comma-separated, RFC 4180 quoting.</summary>
internal static class SceneCsv
{
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>Splits one line; <paramref name="where"/> names the file and line for errors.</summary>
    public static List<string> Split(string line, string where)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"')
            {
                if (field.Length > 0 || wasQuoted) throw new InvalidDataException($"{where}: a quote inside an unquoted field");
                quoted = wasQuoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else
            {
                if (wasQuoted) throw new InvalidDataException($"{where}: text after a closing quote");
                field.Append(c);
            }
        }
        if (quoted) throw new InvalidDataException($"{where}: a quoted field is not closed");
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Reads a CSV file with a header: the header's fields (trimmed) and each non-empty line's fields with its line number.</summary>
    public static (string[] Header, List<(int Line, List<string> Fields)> Rows) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist.", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var first = reader.ReadLine() ?? throw new InvalidDataException($"{path}: the file is empty; a header line was expected.");
        var header = Split(first.TrimStart('\uFEFF'), $"{path}:1").Select(h => h.Trim()).ToArray();
        var rows = new List<(int, List<string>)>();
        int number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0) continue;
            var fields = Split(line, $"{path}:{number}");
            if (fields.Count != header.Length)
                throw new InvalidDataException($"{path}:{number}: {fields.Count} fields, but the header has {header.Length}");
            rows.Add((number, fields));
        }
        return (header, rows);
    }

    public static int Column(string[] header, string name, string path, bool required = true)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0 && required) throw new InvalidDataException($"{path}: the header has no '{name}' column (it has {string.Join(",", header)})");
        return index;
    }
}

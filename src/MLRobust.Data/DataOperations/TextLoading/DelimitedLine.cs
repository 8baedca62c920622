namespace MLRobust.ML;

/// <summary>Splits one line of a delimited file; with quoting, "a,b" is one field and "" is a quote.</summary>
internal static class DelimitedLine
{
    internal static List<string> Split(string line, char separator, bool allowQuoting, bool trim, string source, long lineNumber)
    {
        var fields = new List<string>();
        if (!allowQuoting)
        {
            foreach (var f in line.Split(separator)) fields.Add(trim ? f.Trim() : f);
            return fields;
        }
        var field = new System.Text.StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            while (i < line.Length && trim && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"File '{source}', line {lineNumber}: a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] != separator) i++;
                fields.Add(field.ToString());
            }
            else
            {
                var start = i;
                while (i < line.Length && line[i] != separator) i++;
                var text = line[start..i];
                fields.Add(trim ? text.Trim() : text);
            }
            if (i >= line.Length) break;
            i++; // the separator
        }
        return fields;
    }
}

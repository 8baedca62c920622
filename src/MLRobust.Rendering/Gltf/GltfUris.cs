namespace MLRobust.Rendering.Gltf;

/// <summary>Resolves glTF URIs: base64 <c>data:</c> URIs and percent-encoded paths relative to the .gltf file.</summary>
internal static class GltfUris
{
    private static readonly string[] BufferMediaTypes = ["application/octet-stream", "application/gltf-buffer"];
    private static readonly string[] ImageMediaTypes = ["image/png", "image/jpeg"];

    /// <summary>Loads the resource; files are read up to <paramref name="maxBytes"/> (the declared length).</summary>
    public static ReadOnlyMemory<byte> Load(string uri, long maxBytes, string? baseDirectory, GltfJson owner, string property, bool isImage)
    {
        if (uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            return DecodeDataUri(uri, owner, property, isImage);
        if (uri.Length == 0)
            throw owner.ErrorAt(property, "the uri is empty");
        int colon = uri.IndexOf(':');
        int slash = uri.IndexOfAny(['/', '\\']);
        if (colon > 1 && (slash < 0 || colon < slash))
            throw owner.ErrorAt(property, $"uri \"{Short(uri)}\" has a scheme MLRobust does not fetch (only relative paths and data: URIs)");
        if (baseDirectory is null)
            throw owner.ErrorAt(property, $"uri \"{Short(uri)}\" refers to an external file, but the model was read from memory without a folder");
        string relative;
        try
        {
            relative = Uri.UnescapeDataString(uri);
        }
        catch (UriFormatException)
        {
            throw owner.ErrorAt(property, $"uri \"{Short(uri)}\" is not a valid percent-encoded path");
        }
        // Only files inside the model's folder: no absolute paths, no '..', no symbolic link that leads out.
        if (!Files.ConfinedPath.TryResolve(baseDirectory, relative, out var path, out var problem))
            throw owner.ErrorAt(property, $"uri \"{Short(uri)}\" {problem}");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = isImage ? stream.Length : Math.Min(stream.Length, maxBytes);
            if (length > int.MaxValue - 64)
                throw owner.ErrorAt(property, $"file {relative} is too large ({stream.Length} bytes)");
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw owner.ErrorAt(property, $"cannot read \"{relative}\" (looked for {path}): {e.Message}");
        }
    }

    private static ReadOnlyMemory<byte> DecodeDataUri(string uri, GltfJson owner, string property, bool isImage)
    {
        int comma = uri.IndexOf(',');
        if (comma < 0)
            throw owner.ErrorAt(property, "data: URI without a comma");
        var header = uri[5..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            throw owner.ErrorAt(property, $"data: URI \"{Short(header)}\" is not base64-encoded");
        var mediaType = header[..^7];
        var allowed = isImage ? ImageMediaTypes : BufferMediaTypes;
        if (!allowed.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw owner.ErrorAt(property, $"data: URI media type \"{Short(mediaType)}\" is not one of {string.Join(", ", allowed)}");
        var payload = uri.AsSpan(comma + 1);
        var bytes = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out int written))
            throw owner.ErrorAt(property, "data: URI payload is not valid base64");
        return bytes.AsMemory(0, written);
    }

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "...";
}

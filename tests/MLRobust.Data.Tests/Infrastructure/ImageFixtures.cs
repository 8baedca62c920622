namespace MLRobust.Data.Tests;

/// <summary>Small PNG and JPEG files written by PIL (an independent encoder), with PIL's own decoding of each
/// saved beside it as <c>name.raw</c> (RGBA, or L for greyscale files), shared by the image tests.</summary>
public sealed class ImageFixtures : IDisposable
{
    private readonly TempFolder _folder = new();

    public ImageFixtures()
    {
        PythonReference.Run(Script, _folder.Path);
    }

    public string Folder => _folder.Path;

    public string this[string name] => _folder.File(name);

    public byte[] Raw(string name) => File.ReadAllBytes(_folder.File(name + ".raw"));

    public void Dispose() => _folder.Dispose();

    // Deterministic content: a gradient with structure so that row/column swaps and channel swaps show.
    private const string Script = """
        import numpy as np, struct, zlib
        from PIL import Image
        h, w = 7, 10
        y, x = np.mgrid[0:h, 0:w]
        r = (x * 25) % 256; g = (y * 36) % 256; b = ((x + y) * 13 + 40) % 256; a = (255 - x * 20 - y * 3) % 256
        rgba = np.stack([r, g, b, a], -1).astype(np.uint8)
        def save(img, name, **kw):
            img.save(name, **kw)
            dec = Image.open(name)
            dec = dec.convert('L') if dec.mode in ('L', 'I;16', 'I') and not name.startswith('gray16') else dec.convert('RGBA')
            open(name + '.raw', 'wb').write(np.asarray(dec).tobytes())
        save(Image.fromarray(rgba, 'RGBA'), 'rgba.png')
        save(Image.fromarray(rgba[..., :3], 'RGB'), 'rgb.png')
        save(Image.fromarray(rgba[..., 0], 'L'), 'gray.png')
        save(Image.fromarray(rgba[..., [0, 3]], 'LA'), 'la.png')
        pal = Image.fromarray(rgba[..., :3], 'RGB').quantize(colors=16, dither=Image.Dither.NONE)
        save(pal, 'palette.png')
        # 16-bit greyscale: v16 = v8 * 257, so an 8-bit reduction must give v8 back.
        g16 = (rgba[..., 1].astype(np.uint16) * 257)
        Image.fromarray(g16.astype('<u2'), 'I;16').save('gray16.png')
        open('gray16.png.raw', 'wb').write(rgba[..., 1].tobytes())
        save(Image.fromarray(rgba[..., :3], 'RGB'), 'rgb.jpg', quality=95, subsampling=0)
        save(Image.fromarray(rgba[..., 0], 'L'), 'gray.jpg', quality=95)
        # Broken files.
        png = open('rgb.png', 'rb').read(); open('truncated.png', 'wb').write(png[:len(png) // 2])
        jpg = open('rgb.jpg', 'rb').read(); open('truncated.jpg', 'wb').write(jpg[:len(jpg) // 2])
        open('garbage.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + bytes(range(200)))
        open('text.png', 'wb').write(b'this is not an image at all')
        open('empty.png', 'wb').write(b'')
        # A valid header claiming 100000 x 100000 pixels, followed by a tiny IDAT: must be refused before allocating.
        def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
        ihdr = struct.pack('>IIBBBBB', 100000, 100000, 8, 0, 0, 0, 0)
        open('huge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\x00' * 10)) + chunk(b'IEND', b''))
        # A PNG whose pixel data CRC was tampered with.
        bad = bytearray(png); idat = bad.find(b'IDAT'); bad[idat + 6] ^= 0xFF; open('tampered.png', 'wb').write(bytes(bad))
        """;
}

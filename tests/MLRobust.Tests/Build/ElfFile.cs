using System.Buffers.Binary;
using System.Text;

namespace MLRobust.Tests.Build;

/// <summary>Just enough of an ELF64 little-endian reader to check the Debian 12 fix of libLibTorchSharp.so:
/// the DT_NEEDED entries and the version requirements (.gnu.version_r) with their flags. Written from the
/// ELF specification, independently of build/glibcxx-compat.</summary>
internal sealed class ElfFile
{
    private const uint ShtDynamic = 6, ShtGnuVerneed = 0x6ffffffe;
    private const long DtNull = 0, DtNeeded = 1;
    internal const ushort VerFlagWeak = 0x2;

    private readonly byte[] _bytes;

    public ElfFile(byte[] bytes)
    {
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F' || bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("not an ELF64 little-endian file");
        _bytes = bytes;
    }

    public IReadOnlyList<string> Needed()
    {
        var result = new List<string>();
        foreach (var s in Sections().Where(s => s.Type == ShtDynamic))
        {
            var strings = Sections()[(int)s.Link].Offset;
            for (var at = s.Offset; at + 16 <= s.Offset + s.Size; at += 16)
            {
                var tag = I64(at);
                if (tag == DtNull) break;
                if (tag == DtNeeded) result.Add(String(strings + I64(at + 8)));
            }
        }
        return result;
    }

    /// <summary>(library, version, flags) of every version requirement.</summary>
    public IReadOnlyList<(string File, string Version, ushort Flags)> VersionRequirements()
    {
        var result = new List<(string, string, ushort)>();
        foreach (var s in Sections().Where(s => s.Type == ShtGnuVerneed))
        {
            var strings = Sections()[(int)s.Link].Offset;
            var need = s.Offset;
            for (var n = 0; n < s.Info; n++)
            {
                var count = U16(need + 2);
                var file = String(strings + U32(need + 4));
                var aux = need + U32(need + 8);
                for (var a = 0; a < count; a++)
                {
                    result.Add((file, String(strings + U32(aux + 8)), U16(aux + 4)));
                    aux += U32(aux + 12);
                }
                need += U32(need + 12);
            }
        }
        return result;
    }

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private List<Section> Sections()
    {
        var shoff = I64(0x28);
        var size = U16(0x3a);
        var count = U16(0x3c);
        var list = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var h = shoff + (long)i * size;
            list.Add(new Section(U32(h + 4), I64(h + 0x18), I64(h + 0x20), U32(h + 0x28), U32(h + 0x2c)));
        }
        return list;
    }

    private ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan((int)at));
    private uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan((int)at));
    private long I64(long at) => BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan((int)at));

    private string String(long at)
    {
        var end = Array.IndexOf(_bytes, (byte)0, (int)at);
        return Encoding.ASCII.GetString(_bytes, (int)at, end - (int)at);
    }
}

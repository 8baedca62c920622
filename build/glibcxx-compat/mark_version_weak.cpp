// Marks one version requirement of an ELF64 little-endian shared library as weak
// (vna_flags |= VER_FLG_WEAK in .gnu.version_r), so the dynamic loader accepts a libstdc++ that
// lacks that version. patchelf 0.14 (Debian 12) cannot do this.
//   mark_version_weak FILE VERSION      e.g. mark_version_weak libLibTorchSharp.so GLIBCXX_3.4.32
// Exit status: 0 marked (or already weak), 1 usage or I/O error, 2 not an ELF64 LE file or no such
// requirement.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace
{
    constexpr std::uint32_t ShtGnuVerneed = 0x6ffffffe;
    constexpr std::uint16_t VerFlgWeak = 0x2;

    template <typename T>
    bool Read(const std::vector<char>& image, std::uint64_t offset, T& value)
    {
        if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
        std::memcpy(&value, image.data() + offset, sizeof(T));
        return true;
    }

    int Fail(int code, const std::string& message)
    {
        std::fprintf(stderr, "mark_version_weak: %s\n", message.c_str());
        return code;
    }
}

int main(int argc, char** argv)
{
    if (argc != 3) return Fail(1, "usage: mark_version_weak FILE VERSION");
    const std::string path = argv[1], wanted = argv[2];

    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(1, "cannot read " + path);
    std::vector<char> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();

    if (image.size() < 64 || std::memcmp(image.data(), "\x7f" "ELF", 4) != 0 || image[4] != 2 || image[5] != 1)
        return Fail(2, path + " is not an ELF64 little-endian file");

    std::uint64_t shoff = 0;
    std::uint16_t shentsize = 0, shnum = 0;
    Read(image, 0x28, shoff);
    Read(image, 0x3a, shentsize);
    Read(image, 0x3c, shnum);
    if (shentsize < 64) return Fail(2, path + ": unexpected section header size");

    auto sectionField = [&](std::uint32_t index, std::uint64_t field, auto& value) {
        return Read(image, shoff + std::uint64_t(index) * shentsize + field, value);
    };

    for (std::uint32_t s = 0; s < shnum; ++s)
    {
        std::uint32_t type = 0, link = 0, needCount = 0;
        std::uint64_t offset = 0;
        if (!sectionField(s, 4, type)) return Fail(2, path + ": section headers are truncated");
        if (type != ShtGnuVerneed) continue;
        sectionField(s, 0x18, offset);     // sh_offset
        sectionField(s, 0x28, link);       // sh_link: the string table of the names
        sectionField(s, 0x2c, needCount);  // sh_info: the number of Verneed entries

        std::uint64_t strings = 0;
        if (!sectionField(link, 0x18, strings)) return Fail(2, path + ": bad string table link");

        std::uint64_t need = offset;
        for (std::uint32_t n = 0; n < needCount; ++n)
        {
            std::uint16_t auxCount = 0;
            std::uint32_t auxOffset = 0, next = 0;
            if (!Read(image, need + 2, auxCount) || !Read(image, need + 8, auxOffset) || !Read(image, need + 12, next))
                return Fail(2, path + ": truncated version requirements");
            std::uint64_t aux = need + auxOffset;
            for (std::uint16_t a = 0; a < auxCount; ++a)
            {
                std::uint16_t flags = 0;
                std::uint32_t name = 0, auxNext = 0;
                if (!Read(image, aux + 4, flags) || !Read(image, aux + 8, name) || !Read(image, aux + 12, auxNext))
                    return Fail(2, path + ": truncated version requirement entry");
                const std::uint64_t nameAt = strings + name;
                if (nameAt < image.size() && std::strncmp(image.data() + nameAt, wanted.c_str(), image.size() - nameAt) == 0)
                {
                    if ((flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        std::memcpy(image.data() + aux + 4, &flags, sizeof flags);
                        std::ofstream out(path, std::ios::binary | std::ios::trunc);
                        out.write(image.data(), std::streamsize(image.size()));
                        if (!out) return Fail(1, "cannot write " + path);
                    }
                    return 0;
                }
                aux += auxNext;
                if (auxNext == 0) break;
            }
            need += next;
            if (next == 0) break;
        }
    }
    return Fail(2, path + " has no version requirement " + wanted);
}

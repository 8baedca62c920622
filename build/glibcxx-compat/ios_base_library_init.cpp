// std::ios_base_library_init(), the one GLIBCXX_3.4.32 symbol TorchSharp 0.107's libLibTorchSharp.so
// needs. GCC 13 emits a call to it from every translation unit that includes <iostream>, to make
// sure libstdc++ has set up cin/cout/cerr; Debian 12's libstdc++ (GCC 12) does that set-up in its own
// static initialiser and lacks the hook. Constructing an ios_base::Init here does the same job.
#include <ios>

namespace std
{
    __attribute__((visibility("default"))) void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}

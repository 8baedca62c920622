#!/usr/bin/env bash
# Makes TorchSharp 0.107's libLibTorchSharp.so load on a system whose libstdc++ lacks GLIBCXX_3.4.32
# (Debian 12: GCC 12). The library needs one symbol of that version, std::ios_base_library_init();
# this script, run on a build output's copy (never the NuGet cache):
#   1. builds libmlrobust_glibcxx_compat.so, which defines that symbol, and puts it beside the library;
#   2. clears the symbol's version (patchelf --clear-symbol-version);
#   3. marks the GLIBCXX_3.4.32 requirement weak (mark_version_weak, built from source here);
#   4. adds the compat library as a NEEDED entry (patchelf --add-needed).
# Idempotent; does nothing when the system libstdc++ has GLIBCXX_3.4.32 (unless --force).
#   patch-libtorchsharp.sh [--force] NATIVE_DIR CACHE_DIR
# NATIVE_DIR holds libLibTorchSharp.so; CACHE_DIR keeps the compiled helpers between builds.
set -euo pipefail

force=false
if [[ ${1:-} == --force ]]; then force=true; shift; fi
if (($# != 2)); then echo "usage: $0 [--force] NATIVE_DIR CACHE_DIR" >&2; exit 64; fi
native_dir=$1
cache_dir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
library="$native_dir/libLibTorchSharp.so"
compat_name=libmlrobust_glibcxx_compat.so
version=GLIBCXX_3.4.32
symbol=_ZSt21ios_base_library_initv

fail() {
  echo "error MLROBUST001: TorchSharp's libLibTorchSharp.so needs $version, which this system's libstdc++ lacks, and the automatic fix could not be applied: $1. Install what it needs (Debian: apt-get install g++ patchelf) or a libstdc++ from GCC 13 or later." >&2
  exit 1
}

[[ -f $library ]] || fail "$library does not exist"

system_libstdcxx() {
  local path
  path=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }') || true
  for candidate in "$path" /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    if [[ -n $candidate && -f $candidate ]]; then echo "$candidate"; return; fi
  done
}

if [[ $force == false ]]; then
  libstdcxx=$(system_libstdcxx)
  [[ -n $libstdcxx ]] || fail "no system libstdc++.so.6 was found"
  if grep -qa "$version" "$(readlink -f "$libstdcxx")"; then exit 0; fi
fi

command -v g++ >/dev/null || fail "g++ is not installed"
command -v patchelf >/dev/null || fail "patchelf is not installed"

# Already patched (MSBuild copies the original again only when the package's file changes).
if patchelf --print-needed "$library" 2>/dev/null | grep -qx "$compat_name" && [[ -f $native_dir/$compat_name ]]; then
  exit 0
fi

mkdir -p "$cache_dir"
# Several projects build at once and share the cache: one compiler run at a time.
exec 9>"$cache_dir/.lock"
flock 9
if [[ ! -f $cache_dir/$compat_name || $here/ios_base_library_init.cpp -nt $cache_dir/$compat_name ]]; then
  g++ -shared -fPIC -O2 -o "$cache_dir/$compat_name.tmp" "$here/ios_base_library_init.cpp" || fail "g++ could not build $compat_name"
  mv -f "$cache_dir/$compat_name.tmp" "$cache_dir/$compat_name"
fi
if [[ ! -x $cache_dir/mark_version_weak || $here/mark_version_weak.cpp -nt $cache_dir/mark_version_weak ]]; then
  g++ -O2 -o "$cache_dir/mark_version_weak.tmp" "$here/mark_version_weak.cpp" || fail "g++ could not build mark_version_weak"
  mv -f "$cache_dir/mark_version_weak.tmp" "$cache_dir/mark_version_weak"
fi
flock -u 9

# Patch a private copy and rename it over the original: never a half-patched file, and a hard link
# into the NuGet cache (if any) is broken rather than written through.
work=$(mktemp "$native_dir/.libLibTorchSharp.XXXXXX")
trap 'rm -f "$work" "$native_dir/.$compat_name.tmp"' EXIT
cp "$library" "$work"
chmod u+w "$work"
patchelf --clear-symbol-version "$symbol" "$work" || fail "patchelf --clear-symbol-version failed"
"$cache_dir/mark_version_weak" "$work" "$version" || fail "the $version requirement could not be marked weak"
patchelf --add-needed "$compat_name" "$work" || fail "patchelf --add-needed failed"
cp "$cache_dir/$compat_name" "$native_dir/.$compat_name.tmp"
mv -f "$native_dir/.$compat_name.tmp" "$native_dir/$compat_name"
chmod --reference="$library" "$work" 2>/dev/null || chmod 755 "$work"
mv -f "$work" "$library"
trap - EXIT
echo "Patched $library for $version (compat library $compat_name)."

#!/usr/bin/env bash
# One command for everything: installs the missing system prerequisites (Debian 12), restores the
# Cake tool and runs build.cake with all arguments, e.g. ./build.sh --target=Test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages: g++ and patchelf for the build's Debian 12 fix of TorchSharp's native library
# (build/glibcxx-compat), PyTorch and scikit-image (reference values in the tests only), glTF
# conformance models, headless Chromium (the tests open the HTML report in it; its fontconfig
# dependency brings a font). libtorch (libtorch-cpu-linux-x64) and the image codecs (ML.NET ImageAnalytics'
# SkiaSharp, no system libraries needed) come from NuGet.
packages=(
  g++ patchelf
  python3-torch python3-skimage
  assimp-testmodels
  chromium
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "build.sh: installing missing packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  cat >&2 <<'MSG'
build.sh: the .NET 10 SDK ('dotnet') is not installed.
Install it, then rerun ./build.sh:
  https://learn.microsoft.com/dotnet/core/install/linux-debian
  (or: curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0,
   then add ~/.dotnet to PATH)
MSG
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# One malloc arena for every thread: libtorch's large tensors allocated on worker threads (ML.NET's cache fillers, xunit's test
# threads) otherwise come from per-thread arenas that map blocks over 64 MiB afresh each time (5× slower; see NativeAllocatorTuning).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
# Colour codes only for a terminal; logs and pipes get plain text.
if [[ ! -t 1 ]]; then export NO_COLOR=1; fi

dotnet tool restore
exec dotnet cake build.cake "$@"

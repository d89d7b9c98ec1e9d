#!/usr/bin/env bash
# The RNN step benchmark (test/bench/bench-step.ts) on a lent GPU machine, which has no Node.js,
# no Chromium and no network: every backend that runs in Node, headlessgl (ANGLE over GLX) and
# webgpu (Dawn over Vulkan) included, with the device that really ran each GPU backend named.
#
#   bash test/bench/gpu-device.sh pack   here: builds .gpu-bench/ (git-ignored), prints its size
#   bash test/bench/gpu-device.sh run    there, in the repo root, with .gpu-bench carried:
#                                        results in $OUT (default ./gpu-bench-out)
#
# With the device tool: run, carry [".gpu-bench"], command `bash test/bench/gpu-device.sh run`,
# timeout_s 300 (it takes about a minute). test/bench/README.md has the details.
#
# .gpu-bench/ holds:
#   node.xz, node.sha256   this machine's Node binary (x86-64), xz-compressed (~24 MB of ~64 MiB
#                          a call may carry, with the ~19 MB working tree: check `pack`'s total)
#   app.tar.xz             app/bench-step.mjs and app/gpu-device-report.mjs (esbuild bundles: no
#                          tsx or node_modules needed), and app/node_modules with only the native
#                          packages kept external: gl (its JS, its few JS dependencies and
#                          build/Release/webgl.node) and webgpu (its JS and linux-x64.dawn.node)
#   debs/loaders/*.deb     libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2
#                          (Debian, as lib/device/README.md's headless-rendering note has them):
#                          unpacked into / there only for the libraries that machine lacks
#   debs/glibc/*.deb       Debian trixie's libc6, libstdc++6, libgcc-s1: dawn.node needs glibc
#                          ≥ 2.38 and GLIBCXX_3.4.32; where the system has less (Debian 12 here),
#                          Node runs under this glibc's own loader, from a private folder
#   MANIFEST, SHA256SUMS   what went in, and checksums that `run` verifies first
#
# Not carried: an X server. headlessgl needs GLX on an X display; an Xvfb with GLX needs Mesa's
# DRI driver and LLVM (~50 MB of .debs), which does not fit next to Node and the tree. `run` uses
# an Xvfb the machine has (or GPU_BENCH_XVFB=/path), with __GLX_VENDOR_LIBRARY_NAME=nvidia where
# NVIDIA's GLX library is there; without one, headlessgl's row records why.
#
# run's knobs (environment): OUT, GPU_BENCH_ARGS (default "--single 100 --repeats 10 --warmup 20"),
# GPU_BENCH_TIMEOUT (seconds per backend, default 40), GPU_BENCH_BUDGET (seconds for all backends,
# default 200; those left when it is spent get a 'skipped' row), GPU_BENCH_BACKENDS (default all seven),
# GPU_BENCH_DAWN_FLAGS (space-separated, e.g. "backend=vulkan adapter=NVIDIA"),
# GPU_BENCH_GLIBC=auto|system|carried, GPU_BENCH_XVFB, GPU_BENCH_WORK (scratch folder),
# GPU_BENCH_LOADER_ROOT (where missing loaders are unpacked; default /).
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KIT=${GPU_BENCH_KIT:-$ROOT/.gpu-bench}
LOADER_DEBS="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
GLIBC_DEBS="libc6 libstdc++6 libgcc-s1"
ALL_BACKENDS="reference js wasm-simd cpu webasm headlessgl webgpu"

die() { echo "gpu-device: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------- pack

# copy_pkg NAME PATH... : node_modules/NAME/PATH → STAGE/app/node_modules/NAME/PATH
copy_pkg() {
  local name=$1; shift
  local p
  for p in package.json "$@"; do
    [ -e "$ROOT/node_modules/$name/$p" ] || die "node_modules/$name/$p missing (npm install first)"
    mkdir -p "$STAGE/app/node_modules/$name/$(dirname "$p")"
    cp -R "$ROOT/node_modules/$name/$p" "$STAGE/app/node_modules/$name/$p"
  done
}

# apt_download DEST SOURCES_LINE PACKAGE... : amd64 .debs through apt-get with private lists, so
# neither this machine's apt state nor its architecture matters (README's recipe).
apt_download() {
  local dest=$1 line=$2; shift 2
  local state=/tmp/earshot-gpu-bench-apt/$(echo "$line" | cksum | cut -d' ' -f1)
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$dest"
  echo "$line" > "$state/sources.list"
  local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oAPT::Sandbox::User=root -oDir::Etc::SourceList="$state/sources.list"
    -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$state/lists" -oDir::Cache="$state/cache")
  apt-get "${o[@]}" -qq update || die "apt-get update failed for: $line"
  # apt's sandbox user cannot write to most folders: download in the state folder, then move
  (cd "$state" && rm -f ./*.deb && apt-get "${o[@]}" -qq download "$@" && mv ./*.deb "$dest/") || die "apt-get download $* failed"
}

pack() {
  command -v xz >/dev/null || die "xz is needed"
  local node_bin=${GPU_BENCH_NODE:-$(command -v node)}
  node_bin=$(readlink -f "$node_bin") || die "no node binary"
  # ELF e_machine 0x3e = x86-64: the lent machines are x86-64 whatever this one is
  [ "$(od -An -tx1 -j18 -N2 "$node_bin" | tr -d ' ')" = 3e00 ] || die "$node_bin is not an x86-64 ELF binary (set GPU_BENCH_NODE)"
  [ -f "$ROOT/node_modules/gl/build/Release/webgl.node" ] || die "node_modules/gl has no native build (npm rebuild gl)"
  [ -f "$ROOT/node_modules/webgpu/dist/linux-x64.dawn.node" ] || die "node_modules/webgpu/dist/linux-x64.dawn.node missing"

  STAGE=$(mktemp -d)
  local new=$KIT.new
  rm -rf "$new"; mkdir -p "$new/debs"
  trap 'rm -rf "$STAGE"' EXIT

  echo "== bundles (esbuild; gl and webgpu stay external)"
  local esbuild=$ROOT/node_modules/.bin/esbuild
  [ -x "$esbuild" ] || die "node_modules/.bin/esbuild missing (npm install)"
  # ESM output needs a require() for the CommonJS require('gl') inside gpu.js
  local banner="import { createRequire as __gpuBenchRequire } from 'node:module'; const require = __gpuBenchRequire(import.meta.url);"
  local entry
  for entry in test/bench/bench-step.ts test/bench/gpu-device-report.ts; do
    (cd "$ROOT" && "$esbuild" "$entry" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
      --external:gl --external:webgpu "--banner:js=$banner" --outfile="$STAGE/app/$(basename "${entry%.ts}").mjs") || die "esbuild $entry failed"
  done

  echo "== native packages"
  copy_pkg gl index.js src/javascript build/Release/webgl.node LICENSES
  copy_pkg bindings bindings.js
  copy_pkg file-uri-to-path index.js
  copy_pkg bit-twiddle twiddle.js
  copy_pkg glsl-tokenizer index.js string.js lib
  copy_pkg webgpu index.js dist/linux-x64.dawn.node
  tar -C "$STAGE" -cf - app | xz -T1 -9 > "$new/app.tar.xz" || die "tar app failed"

  echo "== node ($("$node_bin" --version 2>/dev/null || echo '?'), $node_bin)"
  local sum
  sum=$(sha256sum "$node_bin" | cut -d' ' -f1)
  if [ -f "$KIT/node.sha256" ] && [ "$(cat "$KIT/node.sha256")" = "$sum" ] && [ -f "$KIT/node.xz" ]; then
    cp "$KIT/node.xz" "$new/node.xz"   # same binary as last time: skip the minute of xz -9
  else
    xz -T1 -9 -c "$node_bin" > "$new/node.xz" || die "xz node failed"
  fi
  echo "$sum" > "$new/node.sha256"

  echo "== loader .debs (this machine's Debian) and trixie's glibc"
  local codename
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-bookworm}")
  apt_download "$new/debs/loaders" "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $codename main" $LOADER_DEBS
  apt_download "$new/debs/glibc" "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" $GLIBC_DEBS

  {
    echo "packed $(date -u +%FT%TZ) from $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo '+changes')"
    echo "node $("$node_bin" --version)"
    echo "gl $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/gl/package.json" | head -1)"
    echo "webgpu $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/webgpu/package.json" | head -1)"
    echo "gpu.js $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/gpu.js/package.json" | head -1)"
    (cd "$new" && ls debs/*/*.deb)
  } > "$new/MANIFEST"
  (cd "$new" && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum > SHA256SUMS)

  rm -rf "$KIT"; mv "$new" "$KIT"
  local kit_bytes tree_bytes
  kit_bytes=$(du -sb "$KIT" | cut -f1)
  # what else travels: tracked files and untracked ones git does not ignore
  tree_bytes=$(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null | awk '{s+=$1} END {print s+0}')
  echo "== .gpu-bench"
  (cd "$KIT" && du -b node.xz app.tar.xz debs/loaders debs/glibc | awk '{printf "  %6.1f MiB  %s\n", $1/1048576, $2}')
  awk -v k="$kit_bytes" -v t="$tree_bytes" 'BEGIN {
    printf "  %6.1f MiB  .gpu-bench in all\n  %6.1f MiB  with the working tree (%.1f MiB): what one call carries (limit 64 MiB)\n", k/1048576, (k+t)/1048576, t/1048576 }'
  [ $((kit_bytes + tree_bytes)) -lt $((60 * 1048576)) ] || echo "WARNING: tree + .gpu-bench is over 60 MiB: the call may be refused" >&2
}

# ----------------------------------------------------------------------------------------- run

# unxz_to SRC DEST, untar_xz SRC DIR, deb_x DEB DIR: with xz/tar/dpkg-deb where the machine has
# them, else with python3 (the GPU image has it; its lzma and tarfile read .xz and .deb data).
unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"
  else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$1" "$2"; fi
}
untar_xz() {
  if command -v xz >/dev/null; then tar -xJf "$1" -C "$2"
  else python3 -c 'import sys,tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2], **({"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}))' "$1" "$2"; fi
}
deb_x() {
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$1" "$2"; return; fi
  python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'!<arch>\n', 'not a .deb'
pos = 8
while pos < len(data):
    name = data[pos:pos + 16].decode().strip().rstrip('/')
    size = int(data[pos + 48:pos + 58].decode().strip())
    body = data[pos + 60:pos + 60 + size]
    if name.startswith('data.tar'):
        # a .deb holds absolute symlinks (usr/lib64/ld-linux-x86-64.so.2), which the 'data'
        # filter (Python 3.14's default) refuses
        kw = {'filter': 'fully_trusted'} if hasattr(tarfile, 'fully_trusted_filter') else {}
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2], **kw)
    pos += 60 + size + (size & 1)
PY
}

# has_lib SONAME: the dynamic loader's cache or LD_LIBRARY_PATH has it
has_lib() {
  ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$1 " && return 0
  local d IFS=:
  for d in ${LD_LIBRARY_PATH:-}; do [ -e "$d/$1" ] && return 0; done
  return 1
}

deb_soname() {
  case $1 in
    libvulkan1) echo libvulkan.so.1 ;; libegl1) echo libEGL.so.1 ;; libglvnd0) echo libGLdispatch.so.0 ;;
    libopengl0) echo libOpenGL.so.0 ;; libgl1) echo libGL.so.1 ;; libglx0) echo libGLX.so.0 ;; libgles2) echo libGLESv2.so.2 ;;
  esac
}

# version_ge A B: dotted versions, A ≥ B
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

run_body() {
  local work=$1
  echo "== kit"
  (cd "$KIT" && sha256sum -c --quiet SHA256SUMS) || die "$KIT fails its SHA256SUMS: pack again"
  sed 's/^/  /' "$KIT/MANIFEST"
  unxz_to "$KIT/node.xz" "$work/node" && chmod +x "$work/node" || die "cannot unpack node"
  [ "$(sha256sum "$work/node" | cut -d' ' -f1)" = "$(cat "$KIT/node.sha256")" ] || die "node.xz unpacked to the wrong bytes"
  untar_xz "$KIT/app.tar.xz" "$work" || die "cannot unpack app.tar.xz"

  echo "== machine"
  local os glibc gpu=none
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
  glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
  echo "  $(uname -srm); $os; glibc ${glibc:-?}; $(nproc) CPUs"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
    cat "$OUT/nvidia-smi.txt"
    gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
  else
    echo "  no nvidia-smi: no NVIDIA GPU here, GPU backends will run on software drivers if any"
  fi

  echo "== loaders (Vulkan, GLVND)"
  local deb pkg so unpacked=
  for deb in "$KIT"/debs/loaders/*.deb; do
    pkg=$(basename "$deb"); pkg=${pkg%%_*}
    so=$(deb_soname "$pkg")
    if [ -n "$so" ] && has_lib "$so"; then echo "  $so: present"; continue; fi
    echo "  ${so:-$pkg}: missing, unpacking $(basename "$deb") into ${GPU_BENCH_LOADER_ROOT:-/}"
    deb_x "$deb" "${GPU_BENCH_LOADER_ROOT:-/}" || echo "  WARNING: unpacking $deb failed"
    unpacked=1
  done
  [ -n "$unpacked" ] && [ "${GPU_BENCH_LOADER_ROOT:-/}" = / ] && ldconfig
  # the NVIDIA driver's ICD and EGL vendor files where no system folder names them (README)
  local nv=/usr/local/nvidia/share
  if [ -f $nv/vulkan/icd.d/nvidia_icd.json ] && ! grep -qs nvidia /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json; then
    export VK_DRIVER_FILES=$nv/vulkan/icd.d/nvidia_icd.json
  fi
  if [ -f $nv/glvnd/egl_vendor.d/10_nvidia.json ] && ! ls /usr/share/glvnd/egl_vendor.d/*nvidia* >/dev/null 2>&1; then
    export __EGL_VENDOR_LIBRARY_FILENAMES=$nv/glvnd/egl_vendor.d/10_nvidia.json
  fi
  echo "  VK_DRIVER_FILES=${VK_DRIVER_FILES:-(system)}  __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-(system)}"

  echo "== Node's glibc"
  # dawn.node wants glibc ≥ 2.38 and GLIBCXX_3.4.32; ANGLE and Node ask for less
  local mode=${GPU_BENCH_GLIBC:-auto} libstdcxx
  libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  if [ "$mode" = auto ]; then
    if version_ge "${glibc:-0}" 2.38 && [ -n "$libstdcxx" ] && grep -aq GLIBCXX_3.4.32 "$libstdcxx"; then mode=system; else mode=carried; fi
  fi
  NODE=("$work/node")
  if [ "$mode" = carried ]; then
    mkdir -p "$work/glibc"
    for deb in "$KIT"/debs/glibc/*.deb; do deb_x "$deb" "$work/glibc" || die "cannot unpack $deb"; done
    local gl=$work/glibc/usr/lib/x86_64-linux-gnu
    # --library-path replaces LD_LIBRARY_PATH for this process: keep the machine's (NVIDIA's libs)
    NODE=("$gl/ld-linux-x86-64.so.2" --library-path "$gl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/node")
    echo "  carried: Node runs under $(basename "$(ls "$KIT"/debs/glibc/libc6_*.deb)") (system: glibc ${glibc:-?}, libstdc++ ${libstdcxx:-none})"
  else
    echo "  system: glibc ${glibc:-?}, ${libstdcxx:-no libstdc++}"
  fi
  "${NODE[@]}" -e 'console.log("  node " + process.version + " starts")' || die "the carried node does not start here"

  echo "== X server for headlessgl"
  local xvfb=${GPU_BENCH_XVFB:-$(command -v Xvfb || true)} xdesc=none
  XVFB_PID=
  if [ -n "$xvfb" ] && [ -x "$xvfb" ]; then
    local n=99
    while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
    "$xvfb" ":$n" -screen 0 320x240x24 +extension GLX -nolisten tcp > "$work/xvfb.log" 2>&1 &
    XVFB_PID=$!
    local i
    for i in $(seq 1 50); do [ -e /tmp/.X11-unix/X$n ] && break; kill -0 "$XVFB_PID" 2>/dev/null || break; sleep 0.2; done
    if [ -e /tmp/.X11-unix/X$n ]; then
      export DISPLAY=:$n
      xdesc="$xvfb on :$n"
    else
      echo "  $xvfb did not start:"; sed 's/^/    /' "$work/xvfb.log"; XVFB_PID=
    fi
  fi
  # an X server's GLX with NVIDIA's client library renders on the GPU (README: only GLX windows did)
  if has_lib libGLX_nvidia.so.0 || [ -e /usr/local/nvidia/lib64/libGLX_nvidia.so.0 ]; then export __GLX_VENDOR_LIBRARY_NAME=nvidia; fi
  echo "  X: $xdesc; __GLX_VENDOR_LIBRARY_NAME=${__GLX_VENDOR_LIBRARY_NAME:-(default)}"
  [ "$xdesc" = none ] && echo "  no Xvfb here and none carried (see the script's header): headlessgl will record that it got no context"

  export XDG_RUNTIME_DIR=$work/xdg   # Mesa's Vulkan WSI complains without one
  mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

  # each backend in its own process under a timeout, all of them inside one budget: a hanging
  # driver costs its own row, and the run still ends well inside the device call's 300 s
  local args=${GPU_BENCH_ARGS:---single 100 --repeats 10 --warmup 20} per=${GPU_BENCH_TIMEOUT:-40}
  local deadline=$((SECONDS + ${GPU_BENCH_BUDGET:-200}))
  local backends=${GPU_BENCH_BACKENDS:-$ALL_BACKENDS} b f rc dawn=()
  for f in ${GPU_BENCH_DAWN_FLAGS:-}; do dawn+=(--dawn-flag "$f"); done
  mkdir -p "$work/res"
  echo "== bench: $args, ${per}s limit per backend"
  for b in $backends; do
    local extra=()
    [ "$b" = webgpu ] && extra=(--dawn "${dawn[@]}")
    local t0=$SECONDS limit=$per
    [ $((deadline - SECONDS)) -lt "$limit" ] && limit=$((deadline - SECONDS))
    if [ "$limit" -lt 5 ]; then
      echo "skipped: the run's ${GPU_BENCH_BUDGET:-200} s budget (GPU_BENCH_BUDGET) was spent" > "$work/res/$b.err"
      echo 125 > "$work/res/$b.rc"
      echo "  $b: skipped, out of time"
      continue
    fi
    # shellcheck disable=SC2086
    timeout -k 5 "$limit" "${NODE[@]}" "$work/app/bench-step.mjs" --json --backends "$b" $args "${extra[@]}" \
      > "$work/res/$b.json" 2> "$work/res/$b.err"
    rc=$?
    echo "$rc" > "$work/res/$b.rc"
    echo "  $b: exit $rc in $((SECONDS - t0)) s"
    grep -v 'DawnExperimentalSubgroupLimits' "$work/res/$b.err" | sed 's/^/    stderr: /' | head -20
  done

  echo "== result"
  local meta=(--meta "host=$(uname -srm)" --meta "os=$os" --meta "gpu=$gpu" --meta "node glibc=$mode (system ${glibc:-?})"
    --meta "X for headlessgl=$xdesc, __GLX_VENDOR_LIBRARY_NAME=${__GLX_VENDOR_LIBRARY_NAME:-default}"
    --meta "Vulkan ICD=${VK_DRIVER_FILES:-system}" --meta "bench args=$args")
  "${NODE[@]}" "$work/app/gpu-device-report.mjs" --dir "$work/res" --backends "${backends// /,}" --out "$OUT" "${meta[@]}" \
    || die "the report failed (raw outputs: $work/res)"
}

run() {
  OUT=${OUT:-$PWD/gpu-bench-out}
  mkdir -p "$OUT" || die "cannot create $OUT"
  [ -f "$KIT/SHA256SUMS" ] || die "$KIT missing: run 'bash test/bench/gpu-device.sh pack' here first, then carry .gpu-bench"
  WORK=${GPU_BENCH_WORK:-${TMPDIR:-/tmp}/earshot-gpu-bench}
  rm -rf "$WORK"; mkdir -p "$WORK"
  XVFB_PID=
  # the Xvfb this run started, by its pid, however the run ends
  trap '[ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null; [ -z "${GPU_BENCH_KEEP:-}" ] && rm -rf "$WORK"' EXIT
  local t0=$SECONDS rc tee_pid
  # not a pipeline into tee: XVFB_PID and the exports must stay in this shell for the trap
  exec 3> >(tee "$OUT/gpu-bench.log")
  tee_pid=$!
  run_body "$WORK" >&3 2>&3
  rc=$?
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
  XVFB_PID=
  echo "gpu-device: done in $((SECONDS - t0)) s, exit $rc; results in $OUT" >&3
  exec 3>&-
  wait "$tee_pid" 2>/dev/null   # tee's last lines before the shell exits
  return $rc
}

case ${1:-} in
  pack) pack ;;
  run) run ;;
  *) echo "usage: bash test/bench/gpu-device.sh pack|run  (see the comment at its top)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The GPU kit (built by `npm run kit`): runs the engine parity suite, the benchmark and the PyTorch peer on
# this machine's GPU, with nothing but this folder, bash and xz (or Python's lzma) — no Node, npm or network.
#
#   OUT=/some/folder kit/run.sh [--quick]
#
# Writes $OUT/gpu-report.json, $OUT/gpu-report.md and $OUT/kit.log (default OUT: ./kit-out).
# The adapter: the hardware Vulkan driver when one is installed (LOWRANK_ICD names another), else the
# SwiftShader driver the kit brings. Each part has a time limit, so the whole run ends within 8 minutes;
# a part stopped by its limit still leaves what it measured. --quick: toy sizes, for `npm test`.
# LOWRANK_KIT_BENCH_ARGS: more arguments for the bench part (e.g. "--sizes S,M,L --only factor");
# LOWRANK_KIT_NO_PEER=1 skips the PyTorch peer (a short re-measurement after a kernel change).
set -u
here=$(cd "$(dirname "$0")" && pwd)
quick=""
[ "${1:-}" = "--quick" ] && quick="--quick"
OUT=${OUT:-$PWD/kit-out}
mkdir -p "$OUT"
log="$OUT/kit.log"
: >"$log"
say() { echo "[run.sh] $*" | tee -a "$log"; }
t_start=$(date +%s)

work=$(mktemp -d /tmp/lowrank-kit.XXXXXX)
mkdir -p "$work/w" "$work/xdg"
chmod 700 "$work/xdg"
unxz_to() {
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
unxz_to "$here/node.xz" "$work/node" && chmod +x "$work/node" || { say "could not unpack node.xz"; exit 2; }
unxz_to "$here/dawn.node.xz" "$work/dawn.node" || { say "could not unpack dawn.node.xz"; exit 2; }
cp -r "$here/lib" "$work/lib"
say "unpacked into $work in $(( $(date +%s) - t_start )) s"

# the Vulkan driver: the hardware one when present, else the kit's SwiftShader
icd=""
for f in ${LOWRANK_ICD:-} /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
  /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/radeon_icd.x86_64.json /usr/share/vulkan/icd.d/intel_icd.x86_64.json; do
  if [ -f "$f" ]; then icd=$f; break; fi
done
[ -z "$icd" ] && icd="$work/lib/swiftshader/vk_swiftshader_icd.json"
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"
done
export LD_LIBRARY_PATH="$work/lib:${LD_LIBRARY_PATH:-}"
export VK_ICD_FILENAMES="$icd" VK_DRIVER_FILES="$icd" XDG_RUNTIME_DIR="$work/xdg" LOWRANK_DAWN="$work/dawn.node"
# headless, the NVIDIA Vulkan driver reaches the GPU through EGL: glvnd must find NVIDIA's EGL vendor file
for f in /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json /usr/share/glvnd/egl_vendor.d/10_nvidia.json; do
  if [ -f "$f" ]; then export __EGL_VENDOR_LIBRARY_FILENAMES="$f"; say "EGL vendor file: $f"; break; fi
done
say "Vulkan driver: $icd"
gpu=""
command -v nvidia-smi >/dev/null 2>&1 && gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
[ -n "$gpu" ] && say "nvidia-smi: $gpu"

parts=""
# time limits: the full run ends within 8 minutes; the quick one (SwiftShader, a loaded CI machine) gets room
limit() { if [ -n "$quick" ]; then echo 400; else echo "$1"; fi; }
# the adapter first: a hardware driver that Dawn cannot use stops the run here, with the loader's words
hw=""
case "$icd" in "$work"/*) ;; *) hw=1 ;; esac
probe() { LOWRANK_EXPECT_HARDWARE=$hw timeout 60 "$work/node" "$here/kit.mjs" probe >>"$log" 2>&1; }
if ! probe && [ "$(id -u)" = 0 ] && [ -n "$hw" ]; then
  # as root on a machine without the dispatch libraries: install the kit's where the system looks (never replacing one)
  say "probe: no adapter; installing the kit's loader and glvnd libraries into /usr/lib/x86_64-linux-gnu and retrying"
  mkdir -p /usr/lib/x86_64-linux-gnu
  for f in "$work"/lib/*.so*; do [ -e "/usr/lib/x86_64-linux-gnu/$(basename "$f")" ] || cp "$f" /usr/lib/x86_64-linux-gnu/; done
  ldconfig 2>/dev/null
fi
if ! probe; then
  say "probe: Dawn found no usable adapter with $icd; the Vulkan loader says:"
  VK_LOADER_DEBUG=error,warn,info timeout 60 "$work/node" "$here/kit.mjs" probe >>"$log" 2>&1
  ldd "$work/dawn.node" >>"$log" 2>&1
  lib=$(sed -n 's/.*"library_path" *: *"\([^"]*\)".*/\1/p' "$icd")
  for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu /lib; do
    [ -f "$d/$lib" ] && { echo "ldd $d/$lib:"; ldd "$d/$lib"; } >>"$log" 2>&1 && break
  done
  echo '{}' >"$work/w/env.json"
  "$work/node" "$here/kit.mjs" report --dir "$work/w" --out "$OUT" >>"$log" 2>&1
  rm -rf "$work"
  exit 3
fi
say "probe: $(tail -1 "$log" | cut -c1-300)"

part() { # name, seconds, command…
  local name=$1 limit=$2
  shift 2
  local t0
  t0=$(date +%s)
  say "$name: up to $limit s"
  timeout -k 5 "$limit" "$@" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  local dt=$(( $(date +%s) - t0 ))
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && say "$name: stopped at its time limit ($limit s)"
  say "$name: rc $rc in $dt s"
  parts="$parts{\"name\":\"$name\",\"rc\":$rc,\"seconds\":$dt,\"limit\":$limit},"
}

part parity "$(limit 60)" "$work/node" "$here/kit.mjs" parity --dir "$work/w" $quick
# shellcheck disable=SC2086
part bench "$(limit 270)" "$work/node" "$here/kit.mjs" bench --dir "$work/w" $quick ${LOWRANK_KIT_BENCH_ARGS:-}
if [ -n "${LOWRANK_KIT_NO_PEER:-}" ]; then
  echo '{"skipped":"LOWRANK_KIT_NO_PEER was set"}' >"$work/w/peer.json"
  say "peer: skipped (LOWRANK_KIT_NO_PEER)"
elif command -v python3 >/dev/null 2>&1; then
  PYTHONUNBUFFERED=1 part peer "$(limit 90)" python3 "$here/peer_torch.py" --dir "$work/w" --out "$work/w/peer.json" --budget 60 $quick
else
  echo '{"skipped":"no python3 on this machine"}' >"$work/w/peer.json"
  say "peer: skipped (no python3)"
fi

LOWRANK_ENV_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) LOWRANK_ENV_ICD=$icd LOWRANK_ENV_GPU=$gpu LOWRANK_ENV_PARTS="[${parts%,}]" \
LOWRANK_ENV_QUICK=${quick:+1} "$work/node" -e '
  const e = process.env;
  require("fs").writeFileSync(process.argv[1], JSON.stringify({
    date: e.LOWRANK_ENV_DATE, icd: e.LOWRANK_ENV_ICD, gpu: e.LOWRANK_ENV_GPU || null, node: process.version,
    quick: Boolean(e.LOWRANK_ENV_QUICK), parts: JSON.parse(e.LOWRANK_ENV_PARTS),
  }));' "$work/w/env.json"
"$work/node" "$here/kit.mjs" report --dir "$work/w" --out "$OUT" >>"$log" 2>&1
rc=$?
say "report: rc $rc; whole run $(( $(date +%s) - t_start )) s; $OUT/gpu-report.md"
rm -rf "$work"
exit $rc

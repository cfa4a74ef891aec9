#!/usr/bin/env bash
# Trains the examples mnist-mlp, mnist-cnn and lenet5-cifar10 with tapegrad (examples/run NAME) and then with their
# PyTorch-eager twins beside this script (same network, data, normalisation, augmentation, Adam with cosine decay,
# batch 64, epochs, timing of the fit call including the per-epoch test evaluation), one after the other on the same
# machine, and prints the RESULT lines of both at the end. Run it on an idle machine: the full trainings take hours.
#   benchmarks/peers-python/examples/run-all.sh                                  all three, default epochs
#   benchmarks/peers-python/examples/run-all.sh mnist-cnn                        one of them
#   benchmarks/peers-python/examples/run-all.sh mnist-mlp -- --epochs 1 --limit 2000   options for both sides
# (both accept --epochs, --limit and --seed, lenet5-cifar10 also --holdout; --data and --threads are the twins' own).
# Python: $TAPEGRAD_PEERS_VENV/bin/python (default benchmarks/peers-python/.venv, which benchmarks/run-peers creates),
# with torch and numpy. Both sides use the machine's processor count (nproc) of threads: tapegrad's pool has
# availableProcessors() threads (-Dtapegrad.threads), the twins get --threads $(nproc). Logs: benchmarks/target/examples/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/benchmarks/peers-python/examples"
python="${TAPEGRAD_PEERS_VENV:-$root/benchmarks/peers-python/.venv}/bin/python"
if ! [ -x "$python" ] || ! "$python" -c 'import torch, numpy' 2> /dev/null; then
  echo "run-all.sh: $python with torch and numpy is missing; run benchmarks/run-peers once, or set TAPEGRAD_PEERS_VENV" >&2
  exit 2
fi
names=() args=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; args=("$@"); break; fi
  case "$1" in
    mnist-mlp|mnist-cnn|lenet5-cifar10) names+=("$1") ;;
    *) echo "run-all.sh: unknown example '$1' (mnist-mlp, mnist-cnn, lenet5-cifar10; options after --)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#names[@]} -gt 0 ] || names=(mnist-mlp mnist-cnn lenet5-cifar10)
threads="$(nproc)"
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
logs="$root/benchmarks/target/examples"
mkdir -p "$logs"
for name in "${names[@]}"; do
  echo "== $name: tapegrad" >&2
  "$root/examples/run" "$name" "${args[@]}" | tee "$logs/$name-tapegrad.log"
  echo "== $name: PyTorch eager" >&2
  "$python" "$here/${name//-/_}.py" --threads "$threads" "${args[@]}" | tee "$logs/$name-pytorch.log"
done
for name in "${names[@]}"; do
  for side in tapegrad pytorch; do
    printf '%-9s %s\n' "$side" "$(grep '^RESULT' "$logs/$name-$side.log" || echo "RESULT $name (none: see $logs/$name-$side.log)")"
  done
done

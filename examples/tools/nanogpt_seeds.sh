#!/usr/bin/env bash
# nanoGPT's train_shakespeare_char with issue 10's CPU flags, once per seed, each checkpoint then scored over all
# validation windows (nanogpt_all_windows.py), beside examples/run char-transformer --seed S:
#   examples/tools/nanogpt_seeds.sh NANOGPT_DIR PYTHON SEED...
# NANOGPT_DIR is a nanoGPT checkout (karpathy/nanoGPT) with data/shakespeare_char prepared (python data/shakespeare_char/prepare.py,
# or copy input.txt there first); PYTHON a Python with torch and numpy (e.g. a venv made from the local wheels).
# train.py seeds torch with the constant 1337; a copy of it, train_seeded.py, takes the seed from $SEED instead.
# Each run writes NANOGPT_DIR/out-seed$S and seed$S.log; the last lines printed are train.py's step-2000 estimate and the
# all-windows loss.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 NANOGPT_DIR PYTHON SEED..." >&2; exit 2; }
dir=$1 py=$2; shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$dir"
grep -q 'torch.manual_seed(1337 + seed_offset)' train.py || { echo "$0: train.py no longer seeds with 1337 + seed_offset" >&2; exit 1; }
sed 's/torch.manual_seed(1337 + seed_offset)/torch.manual_seed(int(os.environ["SEED"]) + seed_offset)/' train.py > train_seeded.py
for s in "$@"; do
  SEED=$s "$py" train_seeded.py config/train_shakespeare_char.py --device=cpu --compile=False --eval_iters=20 --log_interval=1 \
    --block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0 \
    --out_dir=out-seed$s > seed$s.log 2>&1
  echo "seed $s: $(grep 'step 2000' seed$s.log)"
  "$py" "$here/nanogpt_all_windows.py" out-seed$s/ckpt.pt
done

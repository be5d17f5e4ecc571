#!/usr/bin/env bash
# Builds a development split of PneumoniaMNIST for tuning the quick start without touching the test split: the
# embedded training images and pool (data/pneumoniamnist) for training, and, as its "test" split, 300 normal images
# and 300 pneumonia images of the full training split (../shared/datasets/pneumoniamnist) that the embedded subset
# does not hold. The images are linked, not copied.
#   tools/pneumonia-dev-split.sh [SHARED_PNEUMONIAMNIST] [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(readlink -f "${1:-$root/../shared/datasets/pneumoniamnist}")
out=${2:-$root/artifacts/pneumonia-dev}
embedded=$root/data/pneumoniamnist
[ -d "$shared/train/normal" ] || { echo "error: no train/normal under '$shared'" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"/{train/normal,extra/train_abnormal,test/normal,test/abnormal}
link_all() { for f in "$embedded/$1"/*.png; do ln -s "$f" "$out/$1/"; done; }
link_unused() { # the first 300 images of shared/$1, by name, that the embedded subset lacks, into test/$2
    comm -23 <(ls "$shared/$1") <(ls "$embedded/$1") | head -300 | while read -r f; do ln -s "$shared/$1/$f" "$out/test/$2/$f"; done
}
link_all train/normal
link_all extra/train_abnormal
link_unused train/normal normal
link_unused extra/train_abnormal abnormal
for d in train/normal extra/train_abnormal test/normal test/abnormal; do echo "$d: $(ls "$out/$d" | wc -l)"; done

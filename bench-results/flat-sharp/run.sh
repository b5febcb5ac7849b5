#!/usr/bin/env bash
# Flat and sharp minima: small-batch against large-batch SGD on Boston housing, curvature at each solution.
# Run from the repository root after a Release build of src/Occam.Cli; writes fit-*/ and geo-*/ under OUT.
set -euo pipefail
OUT=${1:-flat-sharp}; mkdir -p "$OUT"
C="dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll"
U=../shared/data/uci/bostonHousing
for s in 0 1 2; do
  for cfg in "small:8:100" "large:455:100" "large-long:455:2000"; do
    IFS=: read name bs ep <<<"$cfg"
    $C fit --data $U --split $s --method map --optimizer Sgd --lr 0.01 --batch-size $bs --epochs $ep --seed $s --out "$OUT/fit-$name-$s" --format Json > "$OUT/fit-$name-$s.log" 2>&1
    $C geometry --model "$OUT/fit-$name-$s" --data $U --split $s --seed $s --format Json --out "$OUT/geo-$name-$s" > "$OUT/geo-$name-$s.log" 2>&1
    echo "$s $name done"
  done
done

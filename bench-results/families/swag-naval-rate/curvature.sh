#!/usr/bin/env bash
# λ1 of the mean training loss's Hessian at 20 Adam epochs (SWAG's pre-training), split 0 of each UCI set
# run from the repository root
CLI="dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll"; out=${1:-curvature-runs}
for d in yacht bostonHousing concrete energy wine-quality-red naval-propulsion-plant protein-tertiary-structure; do
  [ -d ../shared/data/uci/$d ] || continue
  $CLI fit --data ../shared/data/uci/$d --split 0 --method map --epochs 20 --out $out/$d-map >/dev/null 2>&1 || { echo "$d fit failed"; continue; }
  $CLI geometry --model $out/$d-map --data ../shared/data/uci/$d --split 0 --rows 1024 --top 1 --probes 1 --steps 10 --trace-samples 2 --curvature hessian --format json --out $out/$d-geo >/dev/null
  echo "$d done"
done

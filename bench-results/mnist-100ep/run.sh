#!/usr/bin/env bash
# MNIST (LeNet-5, 100 epochs) for the deep ensemble, MC dropout and SWAG, through plan -> launch -> combine.
# Usage: bash bench-results/mnist-100ep/run.sh STORE_ROOT [ENGINE]   (from the repository root; ENGINE: local (default), slurm or k8s)
set -euo pipefail
root=${1:?usage: run.sh STORE_ROOT [ENGINE]}
engine=${2:-local}
occam() { dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll "$@"; }
dotnet build src/Occam.Cli -c Release >/dev/null
mnist="--data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist --angles 0,30,60,90,120,150,180 --epochs 100"
for part in "ensemble ensemble" "b mc-dropout,swag"; do
  set -- $part
  [ -f "$root/$1/plan.json" ] || occam plan bench mnist $mnist --methods "$2" --store "$root/$1"
  occam launch --store "$root/$1" --engine "$engine" --only-missing
done

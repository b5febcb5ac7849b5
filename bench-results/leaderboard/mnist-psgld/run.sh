#!/usr/bin/env bash
# MNIST (LeNet-5, 5 epochs) for pSGLD with its default preconditioner floor (1e-3), through plan -> launch.
# Usage: bash bench-results/leaderboard/mnist-psgld/run.sh STORE   (from the repository root, ../shared beside it)
set -euo pipefail
store=${1:?usage: run.sh STORE}
occam() { dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll "$@"; }
dotnet build src/Occam.Cli -c Release >/dev/null
[ -f "$store/plan.json" ] || occam plan bench mnist --data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist \
  --angles 0,30,60,90,120,150,180 --methods psgld --store "$store"
occam launch --store "$store" --engine local --only-missing --threads 2

#!/usr/bin/env bash
# MNIST (LeNet-5, 100 epochs) through plan -> launch -> combine: the deep ensemble, MC dropout, SWAG, KFAC Laplace, IVON, VI and
# subspace inference with the protocol's defaults, and IVON with its paper's recipe.
# Usage: bash bench-results/mnist-100ep/run.sh STORE_ROOT [ENGINE]   (from the repository root; ENGINE: local (default), slurm or k8s)
set -euo pipefail
root=${1:?usage: run.sh STORE_ROOT [ENGINE]}
engine=${2:-local}
occam() { dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll "$@"; }
dotnet build src/Occam.Cli -c Release >/dev/null
mnist="--data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist --angles 0,30,60,90,120,150,180 --epochs 100"
store() { # name, then the methods and their options
  local name=$1; shift
  [ -f "$root/$name/plan.json" ] || occam plan bench mnist $mnist "$@" --store "$root/$name"
  occam launch --store "$root/$name" --engine "$engine" --only-missing
}
store ensemble --methods ensemble
store b --methods mc-dropout,swag
store c --methods laplace-all-kron
store var --methods ivon,ivon@mean,vi,subspace
# IVON's paper recipe; the stored ivon-cosine is this line run at commit 60a8682, before IVON's divergence guard
store ivon-cosine-guard --methods ivon,ivon@mean --schedule cosine --ivon-lr 0.2 --hess-init 0.5 --beta2 0.999

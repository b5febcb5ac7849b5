#!/usr/bin/env bash
# MNIST (LeNet-5, 5 epochs) for pSGLD, cyclical SGLD and subspace inference, defaults of each method.
set -euo pipefail
dotnet run -c Release --project src/Occam.Cli -- bench mnist --data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist \
  --methods psgld,csgld,subspace --angles 0,30,60,90,120,150,180 --out bench-results/families/mnist-more3

#!/usr/bin/env bash
# All-weights KFAC Laplace on MNIST (LeNet-5, 5 epochs): the prior precision tuned on validation data, and one evidence-tuned precision per layer.
set -euo pipefail
m="--data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist --angles 0 --epochs 5 --methods laplace-all-kron"
dotnet run -c Release --project src/Occam.Cli -- bench mnist $m --tune validation --out bench-results/mnist-laplace-kron-tuning/validation
dotnet run -c Release --project src/Occam.Cli -- bench mnist $m --per-layer-prior true --out bench-results/mnist-laplace-kron-tuning/per-layer

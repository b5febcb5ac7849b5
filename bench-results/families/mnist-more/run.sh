#!/usr/bin/env bash
# MNIST (LeNet-5, 5 epochs) for SWA, all-weights KFAC Laplace, SGLD, SGHMC and VI. run.log holds the per-method
# lines of the run behind docs/benchmarks/leaderboard.md (stopped after SGLD; Brier is in results.md of a full run).
set -euo pipefail
dotnet run -c Release --project src/Occam.Cli -- bench mnist --data-dir ../shared/data/mnist --ood-dir ../shared/data/notmnist \
  --methods swa,laplace-all-kron,sgld,sghmc,vi --angles 0,30,60,90,120,150,180 --out bench-results/families/mnist-more

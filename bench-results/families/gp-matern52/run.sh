#!/usr/bin/env bash
# The exact GP with a Matern-5/2 ARD kernel instead of the squared exponential, 20 splits each.
set -euo pipefail
dotnet run -c Release --project src/Occam.Cli -- bench uci --data-dir ../shared/data/uci --datasets concrete,bostonHousing \
  --methods gp --kernel matern52 --out bench-results/families/gp-matern52

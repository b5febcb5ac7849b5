#!/usr/bin/env bash
# Deep kernel learning on wine with the exact marginal likelihood (the default switches to the sparse bound above 1,000 rows).
set -euo pipefail
dotnet run -c Release --project src/Occam.Cli -- bench uci --data-dir ../shared/data/uci --datasets wine-quality-red \
  --methods dkl --exact-limit 2000 --splits 3 --out bench-results/families/dkl-wine-exact

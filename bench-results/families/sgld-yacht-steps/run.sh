#!/usr/bin/env bash
# SGLD on yacht at the default step size and two smaller ones (20 splits each); run from the repository root
set -e
for e in 0.01 0.005 0.0025; do
  dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll bench uci --data-dir ../shared/data/uci --datasets yacht \
    --methods sgld --step-size $e --out bench-results/families/sgld-yacht-steps/step-$e
done

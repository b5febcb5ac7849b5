#!/usr/bin/env bash
# SWAG on naval: the collection rate as the cause of the run-off (3 splits)
set -e
CLI="dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll"
# run from the repository root, built at commit 5c44773 (before the collection rate was capped)
for r in default 0.0001 0.00001; do
  extra=""; [ "$r" != default ] && extra="--swag-learning-rate $r"
  $CLI bench uci --data-dir ../shared/data/uci --datasets naval-propulsion-plant --methods swag,swag@mean,swa,map --splits 3 $extra --out bench-results/families/swag-naval-rate/rate-$r
done

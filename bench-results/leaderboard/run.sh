#!/usr/bin/env bash
# Reproduces the UCI leaderboard of docs/benchmarks/leaderboard.md through plan -> launch -> combine.
# Usage: bash bench-results/leaderboard/run.sh STORE_ROOT [ENGINE]   (ENGINE: local (default), slurm or k8s)
# Run from the repository root with ../shared/data/uci beside it. Each store's result lands in STORE/result.
set -euo pipefail
root=${1:?usage: run.sh STORE_ROOT [ENGINE]}
engine=${2:-local}
occam() { dotnet src/Occam.Cli/bin/Release/net10.0/linux-x64/Occam.Cli.dll "$@"; }
dotnet build src/Occam.Cli -c Release >/dev/null
uci=../shared/data/uci
small=yacht,bostonHousing,concrete,energy,wine-quality-red
run() { # store, then the bench uci arguments
  local store=$root/$1; shift
  [ -f "$store/plan.json" ] || occam plan bench uci --data-dir "$uci" "$@" --store "$store"
  occam launch --store "$store" --engine "$engine" --only-missing
}
# fixed protocol (40 epochs, Adam 0.01, batch 32, prior precision 1)
run fixed-small-a --datasets $small --methods map,ensemble,mc-dropout,laplace,laplace-all-kron,vi,ivon,ivon@mean
run fixed-small-b --datasets $small --methods sgld,sghmc,csghmc,swag,multiswag,subspace
run fixed-small-c --datasets $small --methods laplace-ll-full,laplace-ll-diag,laplace-all-diag,laplace-all-full,laplace-all-lowrank,laplace-subnet,swa,swag-diag,psgld,csgld,gp-nngp,sgpr
run fixed-small-gp --datasets concrete,energy,wine-quality-red --methods gp
run naval-fixed --datasets naval-propulsion-plant --methods map,ensemble,mc-dropout,laplace,laplace-all-kron,ivon,vi,sgld,sghmc,csghmc,swag,multiswag,subspace,sgpr
run protein-fixed --datasets protein-tertiary-structure --methods map,ensemble,mc-dropout,laplace,laplace-all-kron,sgld,sghmc,csghmc,swag,multiswag,sgpr
run protein-subspace --datasets protein-tertiary-structure --methods subspace
run naval-swag --datasets naval-propulsion-plant --methods swag,swag-diag,multiswag,subspace
run fixed-dkl --datasets $small,naval-propulsion-plant,protein-tertiary-structure --methods dkl
# pSGLD again with its preconditioner floor at 1e-3 (replaces the fixed-small-c rows); the rest of naval and protein
run psgld-fixed --datasets $small --methods psgld
run protein-fixed-2 --datasets protein-tertiary-structure --methods csgld,ivon,ivon@mean,laplace-all-diag,laplace-all-full,laplace-all-lowrank,laplace-ll-diag,laplace-ll-full,laplace-subnet,psgld,swa,swag-diag,vi
run naval-fixed-2 --datasets naval-propulsion-plant --methods csgld,ivon@mean,laplace-all-diag,laplace-all-full,laplace-all-lowrank,laplace-ll-diag,laplace-ll-full,laplace-subnet,psgld,swa
# tuned protocol: per split, the grid setting with the best log-likelihood on the last 20% of the training rows
run small-tuned --datasets $small --methods map,ensemble,mc-dropout --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100;dropout-rate=0.01,0.05"
run laplace-tuned --datasets $small --methods laplace-all-kron --protocol tuned --grid "epochs=40,100,200"
run gp-tuned --datasets yacht,bostonHousing,concrete,energy --methods gp --protocol tuned
run naval-tuned --datasets naval-propulsion-plant --methods sgpr --protocol tuned
run protein-tuned --datasets protein-tertiary-structure --methods ensemble --protocol tuned --grid "epochs=40,100"
run families-tuned --datasets $small --methods csghmc,swag,vi --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
run families-tuned-2 --datasets $small --methods laplace,sghmc,multiswag,subspace --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
run families-tuned-3 --datasets $small --methods psgld,csgld,swa,swag-diag,sgld --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
run psgld-tuned --datasets $small --methods psgld --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
run families-tuned-4 --datasets $small --methods laplace-all-diag,laplace-all-full,laplace-all-lowrank,laplace-ll-diag,laplace-ll-full,laplace-subnet,ivon,ivon@mean --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
run gp-tuned-2 --datasets $small --methods gp-nngp,sgpr,dkl --protocol tuned
run gp-tuned-wine --datasets wine-quality-red --methods gp --protocol tuned
run naval-psgld-tuned --datasets naval-propulsion-plant --methods psgld --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
# naval and protein, the other methods: prior precision (and MC dropout's rate) tuned, 40 epochs as fixed
big_grid="prior-precision=0.1,1,10;dropout-rate=0.01,0.05"
run naval-tuned-2 --datasets naval-propulsion-plant --methods map,laplace-ll-diag,laplace-all-diag,laplace-all-kron,swa,ivon@mean --protocol tuned --grid "$big_grid"
run protein-tuned-2 --datasets protein-tertiary-structure --methods map,mc-dropout,laplace-ll-diag,laplace-all-diag,laplace-all-kron,swa,ivon,ivon@mean --protocol tuned --grid "$big_grid"
run naval-tuned-4 --datasets naval-propulsion-plant --methods ensemble --protocol tuned --grid "$big_grid"
run naval-tuned-6 --datasets naval-propulsion-plant --methods mc-dropout,ivon,sgld,sghmc,csghmc,vi --protocol tuned --grid "$big_grid"
run naval-tuned-7 --datasets naval-propulsion-plant --methods laplace,laplace-ll-full,laplace-all-full,laplace-subnet,laplace-all-lowrank,swag,swag-diag,multiswag,subspace,csgld,ivon,ivon@mean --protocol tuned --grid "$big_grid"
# naval, the ensemble again with the small sets' grid (100 epochs were chosen on 19 of 20 splits)
run naval-tuned-5 --datasets naval-propulsion-plant --methods ensemble --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100"
# concrete, the ensemble with longer training: up to 400 epochs (chosen on most splits), then up to 1,600
run concrete-tuned-400 --datasets concrete --methods ensemble --protocol tuned --grid "prior-precision=0.1,1,10;epochs=40,100,200,400"
run concrete-tuned-long --datasets concrete --methods ensemble --protocol tuned --grid "prior-precision=0.1,1;epochs=200,400,800,1600"
# protein, a 10-member ensemble
run protein-tuned-k10 --datasets protein-tertiary-structure --methods ensemble --members 10 --protocol tuned --grid "epochs=40,100"
# wine, the ensemble with stronger priors (prior precision 10 was the grid's edge), then with 10 members
run wine-tuned-strong --datasets wine-quality-red --methods ensemble --protocol tuned --grid "prior-precision=3,10,30,100;epochs=40,100"
run wine-tuned-k10 --datasets wine-quality-red --methods ensemble --members 10 --protocol tuned --grid "prior-precision=3,10,30,100;epochs=40,100"
# the leaderboards
results() { local IFS=,; echo "$*"; }
occam bench leaderboard --title "UCI regression, fixed protocol" --out "$root/leaderboard-fixed" \
  --results "$(results "$root"/fixed-small-a/result "$root"/fixed-small-b/result "$root"/fixed-small-c/result "$root"/naval-fixed/result "$root"/protein-fixed/result "$root"/protein-subspace/result "$root"/fixed-small-gp/result "$root"/naval-swag/result "$root"/fixed-dkl/result "$root"/psgld-fixed/result "$root"/protein-fixed-2/result "$root"/naval-fixed-2/result)"
occam bench leaderboard --title "UCI regression, tuned protocol" --out "$root/leaderboard-tuned" \
  --results "$(results "$root"/small-tuned/result "$root"/laplace-tuned/result "$root"/gp-tuned/result "$root"/naval-tuned/result "$root"/protein-tuned/result "$root"/concrete-tuned-long/result "$root"/protein-tuned-k10/result "$root"/wine-tuned-k10/result "$root"/families-tuned/result "$root"/families-tuned-2/result "$root"/families-tuned-3/result "$root"/psgld-tuned/result "$root"/families-tuned-4/result "$root"/gp-tuned-2/result "$root"/gp-tuned-wine/result "$root"/naval-psgld-tuned/result "$root"/naval-tuned-2/result "$root"/protein-tuned-2/result "$root"/naval-tuned-4/result "$root"/naval-tuned-5/result "$root"/naval-tuned-6/result "$root"/naval-tuned-7/result)"

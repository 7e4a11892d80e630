#!/usr/bin/env bash
# Times bulwark's reference command (examples/audit) against psabaseline,
# Pod Security Admission's own evaluator behind the same JSON contract, as
# whole processes, on corpora generated from PSA's fixtures. See README.md.
#
#   bench/run.sh [-n RUNS] [-N BIG_RUNS] [-w WARMUP] [--seed N] [--corpus DIR]
#                [--results FILE] [--max-rss MiB] [--big-timeout SECONDS]
#                [--skip-big] [--skip-big-all] [--big-all-sarif]
set -euo pipefail

runs=3          # counted runs on the 2,000-object corpora
big_runs=1      # counted runs on the 50,000-document corpora
warmup=1        # uncounted runs first (2,000-object corpora only)
seed=1
corpus=""
results=""
max_rss=12288   # MiB: a 50,000-document -profile all run is killed past it
big_timeout=900 # seconds: and past this
skip_big=0
skip_big_all=0
big_all_sarif=0

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
	case "$1" in
	-n) runs=$2; shift ;;
	-N) big_runs=$2; shift ;;
	-w) warmup=$2; shift ;;
	--seed) seed=$2; shift ;;
	--corpus) corpus=$2; shift ;;
	--results) results=$2; shift ;;
	--max-rss) max_rss=$2; shift ;;
	--big-timeout) big_timeout=$2; shift ;;
	--skip-big) skip_big=1 ;;
	--skip-big-all) skip_big_all=1 ;;
	--big-all-sarif) big_all_sarif=1 ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown argument $1" >&2; usage ;;
	esac
	shift
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

echo "== building" >&2
(cd "$root" && go build -o "$bin/audit" ./examples/audit)
(cd "$here" && go build -o "$bin/" ./cmd/psabaseline ./cmd/gencorpus ./cmd/abtime)

# The corpora are cached by the generator's build and the seed: the same
# generator and seed write the same bytes.
stamp="$(sha256sum "$bin/gencorpus" | cut -c1-16) seed=$seed"
if [[ -z $corpus ]]; then
	corpus="${XDG_CACHE_HOME:-$HOME/.cache}/bulwark-bench/corpus-seed$seed"
fi
if [[ ! -f $corpus/.stamp || $(cat "$corpus/.stamp") != "$stamp" ]]; then
	echo "== generating corpora into $corpus" >&2
	rm -rf "$corpus"
	mkdir -p "$corpus"
	(cd "$here" && "$bin/gencorpus" -out "$corpus" -seed "$seed") >&2
	echo "$stamp" >"$corpus/.stamp"
else
	echo "== corpora cached in $corpus" >&2
fi

if [[ -z $results ]]; then
	results=$(mktemp --suffix=.jsonl)
fi
: >"$results"
echo "== results in $results" >&2

cd "$corpus" # findings name sources as given: keep them short

# pair LABEL RUNS WARMUP PATH PROFILE: bulwark against the baseline, JSON.
pair() {
	echo "== $1" >&2
	"$bin/abtime" -n "$2" -warmup "$3" -label "$1" -results "$results" \
		-a "$bin/audit -profile $5 -format json $4" \
		-b "$bin/psabaseline -profile $5 -format json $4" >&2
}

# solo LABEL RUNS WARMUP PATH PROFILE FORMAT [abtime flags]: bulwark alone.
solo() {
	echo "== $1" >&2
	"$bin/abtime" -n "$2" -warmup "$3" -label "$1" -results "$results" "${@:7}" \
		-a "$bin/audit -profile $5 -format $6 $4" >&2
}

for ctx in "" ctx-; do
	files=${ctx}files-2000 docs=${ctx}docs-2000.yaml big=${ctx}docs-50000.yaml
	pair "$files restricted json" "$runs" "$warmup" "$files" pss-restricted
	solo "$files restricted sarif" "$runs" "$warmup" "$files" pss-restricted sarif
	pair "$docs restricted json" "$runs" "$warmup" "$docs" pss-restricted
	solo "$docs restricted sarif" "$runs" "$warmup" "$docs" pss-restricted sarif
	solo "$docs all json" "$runs" "$warmup" "$docs" all json
	solo "$docs all sarif" "$runs" "$warmup" "$docs" all sarif
	if ((skip_big)); then
		continue
	fi
	pair "$big restricted json" "$big_runs" 0 "$big" pss-restricted
	solo "$big restricted sarif" "$big_runs" 0 "$big" pss-restricted sarif
	if ((skip_big_all)); then
		continue
	fi
	cap=(-max-rss "$max_rss" -timeout "${big_timeout}s")
	solo "$big all json" "$big_runs" 0 "$big" all json "${cap[@]}"
	if ((big_all_sarif)); then
		solo "$big all sarif" "$big_runs" 0 "$big" all sarif "${cap[@]}"
	fi
done

echo
echo "Medians; ratios are bulwark (audit) / baseline (psabaseline), pair by pair. exit: last run's status, kill = capped."
"$bin/abtime" -table "$results"

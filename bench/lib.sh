# shellcheck shell=bash
# Shared by the bench/ scripts (sourced, not run). Needs bash, awk, sort; hyperfine for timings.
#
# Settings, from bench/run or the environment:
#   BENCH_BIN    the program measured (default: .build/release/conductor-profile)
#   BENCH_SMOKE  1: the fewest runs, to check the scripts work (CI); the figures mean nothing then
#   BENCH_TMP    a private scratch directory (made when unset, removed at exit)
#   BENCH_ROUNDS, BENCH_ROUND_RUNS, BENCH_HOOK_ROUND_RUNS   how timings are taken (below)
# Every script prints Markdown on standard output; each ratio is one line starting "- ratio: ".

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_ROOT=$(dirname "$BENCH_DIR")
BENCH_BIN=${BENCH_BIN:-$BENCH_ROOT/.build/release/conductor-profile}
BENCH_SMOKE=${BENCH_SMOKE:-0}
case $BENCH_BIN in /*) ;; *) BENCH_BIN=$PWD/$BENCH_BIN ;; esac

if [ -z "${BENCH_TMP:-}" ]; then
  BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/conductor-profile-bench.XXXXXX")
  trap 'rm -rf "$BENCH_TMP"' EXIT
fi
chmod 700 "$BENCH_TMP"

bench_die() {
  echo "error: $*" >&2
  exit 1
}

# Fails unless the program is there and runs.
bench_require_bin() {
  [ -x "$BENCH_BIN" ] || bench_die "no program at $BENCH_BIN; build it with: make build (swift build -c release -Xswiftc -static-executable), or pass --bin PATH"
  "$BENCH_BIN" --version >/dev/null || bench_die "$BENCH_BIN --version failed"
}

# A tool the benchmarks need. Missing: a failure under CI=true (.ci/run installs them), else a skip.
# Prints the "skipped" line itself and returns 1 when the caller should skip.
bench_need() {
  local tool=$1 package=${2:-$1}
  if command -v "$tool" >/dev/null 2>&1 || [ -x "$tool" ]; then return 0; fi
  if [ "${CI:-}" = true ]; then bench_die "$tool is not installed, and CI must run every benchmark (apt-get install $package)"; fi
  echo "skipped: $tool is not installed (apt-get install $package)"
  return 1
}

# Timings are taken in rounds: each round is one hyperfine run of every command, and the figures of
# a command are its runs from all rounds. A machine that slows down or speeds up for a while (another
# process, the CPU's clock) then weighs on every command alike, not on the one measured at that moment.
BENCH_ROUNDS=${BENCH_ROUNDS:-5}
# Runs of each command in a round (after its warm-up runs); the hook's scripts switch 20 times a run.
BENCH_ROUND_RUNS=${BENCH_ROUND_RUNS:-100}
BENCH_HOOK_ROUND_RUNS=${BENCH_HOOK_ROUND_RUNS:-40}

# hyperfine with the settings every timing shares: no intermediate shell (-N: hyperfine starts each
# command itself, the same way for the baselines and for conductor-profile), output to /dev/null,
# warm-up runs first; its warnings (outliers on a busy machine) are kept out of the report.
#   bench_hyperfine JSON ARGS...   ARGS go to hyperfine (commands, -n names); round K is written to JSON.K
bench_hyperfine() {
  local json=$1 round rounds=$BENCH_ROUNDS settings=(--warmup 5 --runs "$BENCH_ROUND_RUNS")
  shift
  [ "$BENCH_SMOKE" = 1 ] && settings=(--warmup 0 --runs 3) rounds=1
  rm -f "$json".*
  for ((round = 1; round <= rounds; round++)); do
    if ! hyperfine -N --style none "${settings[@]}" --export-json "$json.$round" "$@" >"$BENCH_TMP/hyperfine.log" 2>&1; then
      cat "$BENCH_TMP/hyperfine.log" >&2
      bench_die "hyperfine failed"
    fi
  done
}

# Reads the rounds bench_hyperfine wrote for JSON and prints one line per command (in the order given),
# in milliseconds, over the runs of every round:
#   NAME <tab> MEDIAN <tab> Q1 <tab> Q3 <tab> MIN <tab> MAX <tab> RUNS
bench_stats() {
  local times=$BENCH_TMP/stats.$$.times
  awk '
    /"command": / { sub(/^[^:]*: "/, ""); sub(/",?$/, ""); label = $0; if (!(label in order)) order[label] = ++n; next }
    /"times": \[/ { inTimes = 1; next }
    inTimes && /\]/ { inTimes = 0; next }
    inTimes { gsub(/[ ,]/, ""); printf "%d\t%s\t%.6f\n", order[label], label, $0 * 1000 }
  ' "$1".* | sort -t "$(printf '\t')" -k1,1n -k3,3g >"$times"
  awk -F '\t' '
    function flush(   q1, q3, med) {
      if (count == 0) return
      med = quant(0.5); q1 = quant(0.25); q3 = quant(0.75)
      printf "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", current, med, q1, q3, v[1], v[count], count
    }
    # Linear interpolation between the two nearest ranks (as numpy'"'"'s default).
    function quant(p,   h, lo) { h = (count - 1) * p + 1; lo = int(h); return (lo >= count) ? v[count] : v[lo] + (h - lo) * (v[lo + 1] - v[lo]) }
    $2 != current { flush(); current = $2; count = 0 }
    { v[++count] = $3 }
    END { flush() }
  ' "$times"
  rm -f "$times"
}

# The value of column COLUMN (2 = median) for NAME in a stats file.
bench_field() {
  awk -F '\t' -v name="$2" -v col="$3" '$1 == name { print $col; exit }' "$1"
}

# A / B to two decimals.
bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# Markdown rows (| name | median | Q1–Q3 | min–max | runs |) for a stats file.
bench_table() {
  echo "| command | median | spread (Q1–Q3) | min–max | runs |"
  echo "|---|---:|---:|---:|---:|"
  awk -F '\t' '{ printf "| `%s` | %.2f ms | %.2f–%.2f ms | %.2f–%.2f ms | %d |\n", $1, $2, $3, $4, $5, $6, $7 }' "$1"
}

# "met" or "MISSED" for a comparison, and whether it counts (smoke runs judge nothing).
bench_verdict() {
  if [ "$BENCH_SMOKE" = 1 ]; then
    echo "not judged (smoke run)"
  elif awk -v x="$1" -v op="$2" -v y="$3" 'BEGIN { exit !((op == "<=") ? (x <= y) : (op == "<") ? (x < y) : (x == y)) }'; then
    echo "met"
  else
    echo "MISSED"
  fi
}

# An empty directory with no .envrc anywhere above that direnv would load.
bench_empty_dir() {
  mkdir -p "$BENCH_TMP/empty"
  echo "$BENCH_TMP/empty"
}

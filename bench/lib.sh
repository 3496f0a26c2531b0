# shellcheck shell=bash
# Shared by the bench/ scripts (sourced, not run). Needs bash, awk, sort; hyperfine for timings.
#
# Settings, from bench/run or the environment:
#   BENCH_BIN    the program measured (default: .build/release/conductor-profile)
#   BENCH_SMOKE  1: the fewest runs, to check the scripts work (CI); the figures mean nothing then
#   BENCH_TMP    a private scratch directory (made when unset, removed at exit)
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

# hyperfine with the settings every timing shares: no intermediate shell (-N: hyperfine starts each
# command itself, the same way for the baselines and for conductor-profile), output to /dev/null,
# warm-up runs first; its warnings (outliers on a busy machine) are kept out of the report. Extra arguments go to hyperfine (commands, -n names, --export-json).
bench_hyperfine() {
  local settings=(--warmup 20 --min-runs 200)
  [ "$BENCH_SMOKE" = 1 ] && settings=(--warmup 0 --runs 3)
  if ! hyperfine -N --style none "${settings[@]}" "$@" >"$BENCH_TMP/hyperfine.log" 2>&1; then
    cat "$BENCH_TMP/hyperfine.log" >&2
    bench_die "hyperfine failed"
  fi
}

# Reads hyperfine's --export-json and prints one line per command, in milliseconds:
#   NAME <tab> MEDIAN <tab> Q1 <tab> Q3 <tab> MIN <tab> MAX <tab> RUNS
bench_stats() {
  local times=$BENCH_TMP/stats.$$.times names=$BENCH_TMP/stats.$$.names
  awk -v names="$names" '
    /"command": / { sub(/^[^:]*: "/, ""); sub(/",?$/, ""); n++; print n "\t" $0 > names; next }
    /"times": \[/ { inTimes = 1; next }
    inTimes && /\]/ { inTimes = 0; next }
    inTimes { gsub(/[ ,]/, ""); printf "%d\t%.6f\n", n, $0 * 1000 }
  ' "$1" | sort -t "$(printf '\t')" -k1,1n -k2,2g >"$times"
  awk -F '\t' -v names="$names" '
    BEGIN { while ((getline line < names) > 0) { split(line, f, "\t"); label[f[1]] = f[2] } }
    function flush(   q1, q3, med) {
      if (count == 0) return
      med = quant(0.5); q1 = quant(0.25); q3 = quant(0.75)
      printf "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", label[current], med, q1, q3, v[1], v[count], count
    }
    # Linear interpolation between the two nearest ranks (as numpy'"'"'s default).
    function quant(p,   h, lo) { h = (count - 1) * p + 1; lo = int(h); return (lo >= count) ? v[count] : v[lo] + (h - lo) * (v[lo + 1] - v[lo]) }
    $1 != current { flush(); current = $1; count = 0 }
    { v[++count] = $2 }
    END { flush() }
  ' "$times"
  rm -f "$times" "$names"
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

#!/usr/bin/env bash
# Fuzz every reader for SECONDS each (default 60), outside CI. Seeds come from the example
# corpus and the test fixtures; findings land in fuzz/crashes/. Prints inputs tried per target.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
PY=.venv/bin/python
$PY -c "import atheris" 2>/dev/null || $PY -m pip install -q atheris==3.0.0
mkdir -p fuzz/crashes
for target in any text html json jsonl feed warc; do
  corpus=fuzz/corpus-$target
  mkdir -p "$corpus"
  cp -n examples/corpus/* "$corpus/" 2>/dev/null || true
  log=$(mktemp)
  $PY fuzz/fuzz_readers.py "$target" -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 -timeout=20 \
      -artifact_prefix=fuzz/crashes/$target- "$corpus" >"$log" 2>&1
  status=$?
  runs=$(grep -aEo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1)
  # a crash stops libFuzzer before its summary: take the last progress counter instead
  [ -z "$runs" ] && runs=$(grep -aEo '^#[0-9]+' "$log" | tr -d '#' | tail -1)
  crashes=$(ls fuzz/crashes/ 2>/dev/null | grep -c "^$target-" || true)
  echo "$target: ${runs:-?} inputs, exit $status, crash files $crashes"
  [ $status -ne 0 ] && tail -30 "$log"
  rm -f "$log"
done

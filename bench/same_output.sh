#!/bin/bash
# Byte-for-byte check of this checkout's outputs against another version's on the development corpus:
# `match` in every format (and --top 0, --jobs 2, --org, --department, cached runs), `report`, `pitch`, `links`.
#
#   git archive BASE_COMMIT src | tar -x -C /tmp/base     # the version to compare with
#   BASE=/tmp/base/src bench/same_output.sh                # prints same/DIFF per output; exit 1 on any DIFF
#
# CORPUS (default ../shared/corpus), PY (default .venv/bin/python), OUT (default a temporary folder).
set -u
WT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$WT/../shared/corpus}
PY=${PY:-$WT/.venv/bin/python}
: "${BASE:?set BASE to the src folder of the version to compare with}"
[ -d "$CORPUS/plans" ] || { echo "same_output: no corpus at $CORPUS" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d)}; rm -rf $OUT/main $OUT/stream; mkdir -p $OUT/main $OUT/stream
fail=0
run() { # name args...
  local name=$1; shift
  (cd "$WT" && PAINPOINT_CACHE_DIR=$OUT/cache-main PYTHONPATH=$BASE COLUMNS=200 $PY -m painpoint match --plans $CORPUS/plans --orgs $CORPUS/orgs "$@" > $OUT/main/$name 2>$OUT/main/$name.err; echo $? >> $OUT/main/$name.err)
  (cd "$WT" && PAINPOINT_CACHE_DIR=$OUT/cache-stream PYTHONPATH=$WT/src COLUMNS=200 $PY -m painpoint match --plans $CORPUS/plans --orgs $CORPUS/orgs "$@" > $OUT/stream/$name 2>$OUT/stream/$name.err; echo $? >> $OUT/stream/$name.err)
  if cmp -s $OUT/main/$name $OUT/stream/$name && cmp -s $OUT/main/$name.err $OUT/stream/$name.err; then echo "same  $name ($(wc -c < $OUT/main/$name) bytes)"; else echo "DIFF  $name"; fail=1; fi
}
for f in json csv md table; do run match.$f -f $f --no-cache; done
run top0.json -f json --top 0 --no-cache
run jobs2.json -f json --jobs 2 --no-cache
run org.json -f json --org $(ls $CORPUS/orgs | head -1 | sed 's/.yaml//') --no-cache
run org-top0.md -f md --org $(ls $CORPUS/orgs | head -1 | sed 's/.yaml//') --top 0 --no-cache
run dept.json -f json --department 民政 --no-cache
run cached-cold.json -f json
run cached-warm.json -f json
# report, pitch, links (they keep plans: keep_plans=True) must give what they gave before
for v in main stream; do
  src=$([ $v = main ] && echo $BASE || echo $WT/src)
  (cd "$WT" && export PAINPOINT_CACHE_DIR=$OUT/cache-r-$v PYTHONPATH=$src
   $PY -m painpoint report --plans $CORPUS/plans --orgs $CORPUS/orgs --out $OUT/$v/report --no-cache >/dev/null 2>&1
   $PY -m painpoint pitch --plans $CORPUS/plans --orgs $CORPUS/orgs --org $(ls $CORPUS/orgs | head -1 | sed 's/.yaml//') --department "$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["departments"][-1]["name"])' $OUT/main/match.json)" -o $OUT/$v/pitch.md >/dev/null 2>&1
   $PY -m painpoint links --plans $CORPUS/plans --orgs $CORPUS/orgs -f json -o $OUT/$v/links.json >/dev/null 2>&1)
done
for f in report/matches.json report/matches.csv report/report.html pitch.md links.json; do
  if [ ! -s $OUT/main/$f ]; then echo "MISSING $f"; fail=1; elif cmp -s $OUT/main/$f $OUT/stream/$f; then echo "same  $f ($(wc -c < $OUT/main/$f) bytes)"; else echo "DIFF  $f"; fail=1; fi
done
exit $fail

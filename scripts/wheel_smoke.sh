#!/usr/bin/env bash
# Install piiscan as a user would and run it from outside the checkout, with no config argument:
#   build the wheel from a clean copy of the sources, install it (not editable) into a fresh virtualenv
#   under /tmp, generate a small lake, then `piiscan scan`, `piiscan check --destination third_party`,
#   `piiscan anonymize` and a check of the anonymised copy, each against its exit code in shared/contract.md.
# This is the proof that the wheel carries its defaults (pipeline/defaults/*.yaml), issue 13.
#
# Dependencies: PIISCAN_SMOKE_DEPS=shared (default, what CI runs: about 2 minutes in all) installs only the
# wheel (--no-deps) and lends the fresh virtualenv the checkout's .venv site-packages for the dependencies,
# offline. PIISCAN_SMOKE_DEPS=pypi installs the wheel with its dependencies from PyPI as a user would (the
# install alone took 3 minutes here, 2026-11-30); use it before a release.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3.11}
CHECKOUT_PY=$REPO/.venv/bin/python
DEPS=${PIISCAN_SMOKE_DEPS:-shared}
WORK=$(mktemp -d /tmp/piiscan-wheel-smoke.XXXXXX)
[ -n "${PIISCAN_SMOKE_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
started=$(date +%s)
step() { echo "wheel_smoke [$(( $(date +%s) - started ))s] $*"; }
fail() { echo "wheel_smoke: FAIL: $*" >&2; exit 1; }

step "copying the sources git knows about to $WORK/src (the build must not write into the checkout)"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard) | "$CHECKOUT_PY" -c '
import shutil, sys
from pathlib import Path
repo, dest = Path(sys.argv[1]), Path(sys.argv[2])
for name in sys.stdin.buffer.read().decode().split("\0"):
    source = repo / name
    if name and source.is_file() and not name.startswith(".venv"):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name)
' "$REPO" "$WORK/src"

step "fresh virtualenv"
"$PYTHON" -m venv "$WORK/venv"
VPY=$WORK/venv/bin/python

step "building the wheel (pip wheel --no-deps)"
"$VPY" -m pip wheel -q --disable-pip-version-check --no-deps "$WORK/src" -w "$WORK/dist"
WHEEL=$(ls "$WORK"/dist/piiscan-*.whl)
"$VPY" - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {f"pipeline/defaults/{n}" for n in ("scan.yaml", "policy.yaml", "recognizers.yaml")}
need |= {"pipeline/schemas/report.schema.json", "recognizers/data/column_names.yaml"}
missing = sorted(need - names)
if missing:
    sys.exit(f"wheel_smoke: FAIL: the wheel lacks {missing}")
print(f"wheel_smoke: {sys.argv[1].rsplit('/', 1)[-1]} holds {len(names)} files, the packaged defaults among them")
EOF

step "installing the wheel (not editable; dependencies: $DEPS)"
case "$DEPS" in
  pypi) "$VPY" -m pip install -q --disable-pip-version-check "$WHEEL" ;;
  shared)
    SHARED_SITE=$("$CHECKOUT_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    VSITE=$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    # A plain path line: the shared site-packages' own .pth files (the checkout's editable install) stay inert.
    echo "$SHARED_SITE" > "$VSITE/zz_piiscan_smoke_dependencies.pth"
    "$VPY" -m pip install -q --disable-pip-version-check --no-deps "$WHEEL" ;;
  *) fail "PIISCAN_SMOKE_DEPS must be pypi or shared, not $DEPS" ;;
esac

step "generating a small lake with the checkout's generator"
(cd "$REPO" && PYTHONPATH="$REPO" "$CHECKOUT_PY" -m tests.datagen.lake "$WORK/lake" --rows 100 >/dev/null)

# From here on: outside the checkout, no PYTHONPATH, no config argument or config variable.
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
unset PYTHONPATH PIISCAN_CONFIG PIISCAN_POLICY PIISCAN_RECOGNIZERS PIISCAN_CATALOG PIISCAN_SCHEDULER
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(PIISCAN_[A-Z_]*__[A-Z_]*\)=.*/\1/p')
PIISCAN=$WORK/venv/bin/piiscan
"$VPY" - "$WORK/venv" <<'EOF'
import sys
import pipeline, pipeline.settings as s
for module, path in (("pipeline", pipeline.__file__), ("packaged scan.yaml", str(s.DEFAULT_SCAN_CONFIG))):
    if not path.startswith(sys.argv[1]):
        sys.exit(f"wheel_smoke: FAIL: {module} comes from {path}, not the fresh virtualenv")
print(f"wheel_smoke: pipeline imported from {pipeline.__file__}")
EOF

expect() {  # expect CODE LABEL -- COMMAND...
  local want=$1 label=$2; shift 3
  local t0=$(date +%s) rc=0
  "$@" > "$WORK/$label.log" 2>&1 || rc=$?
  if ! [[ "$rc" =~ ^($want)$ ]]; then
    tail -n 30 "$WORK/$label.log" >&2
    fail "$label exited $rc, the contract says $want"
  fi
  step "$label: exit $rc as expected ($(( $(date +%s) - t0 ))s)"
}

# scan: the whole lake on the default scheduler (a local cluster whose workers import the installed wheel).
# Exit 3 passes only when every issue is the per-value regex time budget (wall clock, so a loaded CI
# machine can exceed it); any unreadable file fails.
expect "0|3" "scan" -- "$PIISCAN" scan "$WORK/lake" --out out/scan --quiet
"$VPY" - out/scan/report.json "$WORK/venv" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
issues = [i for d in report["datasets"] for i in d["errors"]] + report["errors"]
if any(i["kind"] != "regex_timeout" for i in issues):
    sys.exit(f"wheel_smoke: FAIL: the scan reported {[i['kind'] for i in issues]}")
if issues:
    print(f"wheel_smoke: note: {len(issues)} regex time-budget issue(s), a loaded machine; not a packaging problem")
columns = [c for d in report["datasets"] for c in d["columns"] if c["categories"]]
if len(report["datasets"]) < 10 or not columns:
    sys.exit("wheel_smoke: FAIL: the report found too little")
if not report["policy"]["path"].startswith(sys.argv[2]):
    sys.exit(f"wheel_smoke: FAIL: the policy came from {report['policy']['path']}, not the packaged defaults")
print(f"wheel_smoke: {len(report['datasets'])} datasets, {len(columns)} columns tagged")
EOF

# check and anonymize: two datasets holding personal data, scanned in-process to keep CI short.
SUBSET=("$WORK/lake/crm" "$WORK/lake/hr")
export PIISCAN_SCHEDULER=sync
export PIISCAN_HASH_KEY=wheel-smoke-key-not-a-secret-0123456789
expect 1 "check" -- "$PIISCAN" check "${SUBSET[@]}" --destination third_party --out out/check
grep -q '"decision": "blocked"' out/check/verdict.json || fail "verdict.json does not say blocked"
expect 0 "anonymize" -- "$PIISCAN" anonymize "${SUBSET[@]}" --destination third_party --out out/anonymized
expect 0 "check-anonymized" -- "$PIISCAN" check out/anonymized --destination third_party --out out/recheck

step "OK: wheel built, installed and run from $WORK/elsewhere with the packaged defaults"

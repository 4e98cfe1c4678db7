#!/usr/bin/env bash
# Runs every suite (Vitest: library, lake on Azurite, warehouse, dbt, Snowflake on fakesnow;
# pytest: the Airflow DAG) and ends with their total on one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json"
vitest_status=$?
[ "$vitest_status" -eq 0 ] || status=1
if [ -d dags/tests ]; then
  .venv/bin/python -m pytest -q dags/tests --junitxml="$out/pytest.xml" || status=1
fi
mkdir -p .cache
VITEST_STATUS=$vitest_status node scripts/test-total.mjs "$out" | tee .cache/test-total.txt
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
exit $status

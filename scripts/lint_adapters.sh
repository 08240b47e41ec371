#!/usr/bin/env bash
# sqlfluff for the connector adapter models (models/adapters/<crm>/). They are enabled only in
# their input mode and read their connector's columns at compile time, so each is linted in its
# mode against a scratch DuckDB holding the connector's test fixtures (tests/fixtures/fivetran_<crm>/).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for crm in salesforce hubspot; do
    db="$scratch/fixtures_$crm.duckdb"
    .venv/bin/python - "$db" "$crm" <<'PY'
import sys
from pathlib import Path

import duckdb

db, crm = sys.argv[1], sys.argv[2]
prefix = "sf_" if crm == "salesforce" else ""
with duckdb.connect(db) as con:
    con.execute(f"create schema {crm}")
    for path in sorted(Path(f"tests/fixtures/fivetran_{crm}").glob("*_data.csv")):
        table = path.name.removesuffix("_data.csv").removeprefix(prefix)
        con.execute(f'create table {crm}."{table}" as select * from read_csv(?)', [str(path)])
PY
    printf '[sqlfluff:templater:dbt:context]\ninput_mode = %s\n' "$crm" > "$scratch/$crm.cfg"
    echo "sqlfluff lint models/adapters/$crm (input_mode $crm, fixtures in $db)"
    DBT_DUCKDB_PATH="$db" .venv/bin/sqlfluff lint --config "$scratch/$crm.cfg" "models/adapters/$crm"
done

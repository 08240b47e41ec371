#!/usr/bin/env bash
# Project conventions (dbt-bouncer.yml) checked by dbt-bouncer against the manifest of
# `dbt parse`, in `make lint`. The connector adapters are enabled only in their input mode, so
# the project is parsed once per mode (files, salesforce, hubspot) and every manifest is checked
# with the same rules.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for mode in files salesforce hubspot; do
    echo "dbt-bouncer: conventions of the project parsed in input_mode $mode"
    DBT_PROFILES_DIR=profiles .venv/bin/dbt parse --quiet --vars "{input_mode: $mode}" \
        --target-path "$scratch/$mode" --log-path "$scratch/logs"
    sed "s|^dbt_artifacts_dir: .*|dbt_artifacts_dir: $scratch/$mode|" dbt-bouncer.yml > "$scratch/$mode.yml"
    .venv/bin/dbt-bouncer --config-file "$scratch/$mode.yml"
done

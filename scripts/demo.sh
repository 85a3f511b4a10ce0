#!/usr/bin/env bash
# The main job until the web app exists: a demo athlete on an embedded SQLite file, shown in
# the terminal. Re-running reuses the same demo file.
set -euo pipefail
db_file=${1:-.demo/crampwise-demo.db}
mkdir -p "$(dirname "$db_file")"
cw() { .venv/bin/crampwise --db "sqlite:///$db_file" "$@"; }
if ! cw athlete list --json 2>/dev/null | grep -q '"name"'; then
  cw demo
fi
cw athlete show
cw list cramps --last 5 || true
cw insights || true
cw plan --sport run --duration 2h --temperature 27 || true
cw check || true
echo
echo "Cramping right now? Try: .venv/bin/crampwise now calf"

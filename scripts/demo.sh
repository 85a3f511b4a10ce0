#!/usr/bin/env bash
# `make run`: the demo athlete in its own demo store (never the user's), served on this computer.
# Fills the demo store on first use, then serves the web app and prints its address (and opens
# a browser where one exists). Re-running reuses the same demo file.
set -euo pipefail
db_file=${1:-.demo/crampwise-demo.db}
port=${PORT:-8000}
mkdir -p "$(dirname "$db_file")"
cw() { .venv/bin/crampwise --db "sqlite:///$db_file" "$@"; }
if ! cw athlete list --json 2>/dev/null | grep -q '"name"'; then
  cw demo
fi
echo "Cramping right now? Open /now in the app, or run: .venv/bin/crampwise now calf"
exec .venv/bin/crampwise --db "sqlite:///$db_file" serve --port "$port" --open

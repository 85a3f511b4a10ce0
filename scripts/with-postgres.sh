#!/usr/bin/env bash
# Run a command with CRAMPWISE_TEST_POSTGRES_URL pointing at a real PostgreSQL server.
# Uses the URL already set if there is one; otherwise starts a throw-away cluster from
# Debian's packages on a free loopback port, and stops and removes it afterwards.
set -euo pipefail

if [[ -n ${CRAMPWISE_TEST_POSTGRES_URL:-} ]]; then
  exec "$@"
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $pg_bin ]]; then
  echo "with-postgres: no PostgreSQL server installed (run: make system-deps)" >&2
  exit 3
fi

dir=$(mktemp -d /tmp/crampwise-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root: run the throw-away cluster as the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 3; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres crampwise_test

export CRAMPWISE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/crampwise_test"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"

#!/usr/bin/env bash
# Debian packages the tests need: a PostgreSQL server (storage tests run against a real one),
# tmux (the guided relief mode is tested in a real terminal), Pango (WeasyPrint renders the
# clinician report to PDF), poppler-utils (the report test looks at the PDF's pages) and
# chromium (the web app's browser tests drive it through Playwright; Playwright's own browser
# download is not used), nginx and openssl (server mode's test runs the documented reverse-proxy
# configuration, deploy/nginx/crampwise.conf, with a throw-away certificate) and wrk (the load
# generator of benchmarks/web_load_bench.py, `make bench`).
# Installs only what is missing; does nothing when everything is there.
set -euo pipefail

need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n $pg_bin && -x $pg_bin/initdb ]] || need+=(postgresql)
command -v tmux >/dev/null || need+=(tmux)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset' || need+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'dejavu' || need+=(fonts-dejavu-core)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v openssl >/dev/null || need+=(openssl)
command -v wrk >/dev/null || need+=(wrk)

if ((${#need[@]} == 0)); then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${need[*]}"
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

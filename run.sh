#!/usr/bin/env bash
# sgaudit set-up and run script. Two commands on a fresh machine:
#   ./run.sh app    install everything and start the auditor app (SQLite, demo data a click away)
#   ./run.sh test   install everything (incl. chromium, PostgreSQL, LibreOffice) and run all tests
# Other verbs: ./run.sh install | ./run.sh cli ARGS... | ./run.sh bench
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

say() { printf '\033[1m[sgaudit]\033[0m %s\n' "$*"; }

need_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  echo "${missing[@]:-}"
}

install_system() {
  local missing
  missing=$(need_system_packages)
  if [ -z "$missing" ]; then
    say "system packages present (chromium, PostgreSQL, LibreOffice, poppler, Node.js, Java)"
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      if [ "${CI:-}" = "true" ]; then say "cannot install $missing without root"; exit 1; fi
      say "not root: skipping system packages ($missing); tests that need them will be skipped"
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then say "no apt-get to install $missing"; exit 1; fi
    say "no apt-get: install $missing yourself; tests that need them will be skipped"
    return 0
  fi
  say "installing system packages: $missing"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

install_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.sgaudit-installed"
  local want
  want=$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "Python packages up to date"
    return 0
  fi
  say "installing Python packages (pinned in requirements*.txt)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r requirements-dev.txt
  "$VENV/bin/python" -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
}

install_node_tools() {
  # axe-core (accessibility) and oidc-provider (a real OpenID Connect provider for the
  # sign-on tests), pinned in tools/node/package-lock.json, installed into the project.
  if ! command -v npm >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then say "npm is missing: cannot install tools/node"; exit 1; fi
    say "no npm: skipping tools/node; accessibility and sign-on tests will be skipped"
    return 0
  fi
  local stamp="$ROOT/tools/node/node_modules/.sgaudit-installed"
  local want
  want=$(sha256sum "$ROOT/tools/node/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing Node test tools (axe-core, oidc-provider) into tools/node"
  (cd "$ROOT/tools/node" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

case "${1:-}" in
  install)
    install_system
    install_python
    install_node_tools
    ;;
  app)
    install_python
    say "starting the app on http://127.0.0.1:${PORT:-8501} (store: ${SGAUDIT_DATABASE_URL:-the default SQLite file})"
    "$VENV/bin/sgaudit" setup-link --port "${PORT:-8501}"  # only on a store with no account yet
    exec "$VENV/bin/streamlit" run audit_app.py --server.address 127.0.0.1 --server.port "${PORT:-8501}"
    ;;
  test)
    shift
    install_system
    install_python
    install_node_tools
    say "running the whole test suite"
    set +e
    "$VENV/bin/python" -m pytest -ra "$@"
    rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then say "no tests were collected"; exit 1; fi
    exit "$rc"
    ;;
  cli)
    shift
    install_python
    exec "$VENV/bin/sgaudit" "$@"
    ;;
  bench)
    install_python
    for b in bench/bench_*.py; do say "$b"; "$VENV/bin/python" "$b"; done
    ;;
  *)
    echo "usage: ./run.sh app | test [pytest args] | install | cli ARGS... | bench" >&2
    exit 2
    ;;
esac

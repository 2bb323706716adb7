#!/usr/bin/env bash
# Install what eOffice needs on a Debian/Ubuntu machine: system packages (when missing and
# running as root), the project's virtualenv in .venv, its Python packages, and for tests the
# browser and the npm client used by the end-to-end checks.
#
#   scripts/install.sh          runtime
#   scripts/install.sh --dev    runtime + tests (chromium, node packages, pytest …)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1
PY=${PYTHON:-python3}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages ---------------------------------------------------------------------
runtime_pkgs=(python3-venv python3-dev build-essential pkg-config default-libmysqlclient-dev
              libmagic1 tesseract-ocr tesseract-ocr-vie poppler-utils mariadb-client
              fonts-dejavu-core)  # fonts: Vietnamese text in signature appearances
dev_pkgs=(chromium fonts-dejavu-core nodejs npm softhsm2)  # softhsm2: PKCS#11 signing tests
want=("${runtime_pkgs[@]}")
[ $DEV = 1 ] && want+=("${dev_pkgs[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere than Debian's packages: accept any working ones.
if [ ${#missing[@]} -gt 0 ] && command -v node >/dev/null && command -v npm >/dev/null; then
  missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e nodejs -e npm || true))
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them (sudo apt-get install ${missing[*]}) and run this again." >&2
    exit 1
  fi
fi

# --- Python ---------------------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtualenv in .venv"
  "$PY" -m venv .venv
fi
reqs=requirements.txt
[ $DEV = 1 ] && reqs=requirements-dev.txt
stamp=.venv/.installed-$(cat requirements.txt requirements-dev.txt setup.py | sha256sum | cut -c1-16)-$DEV
if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$(cat requirements.txt requirements-dev.txt setup.py | sha256sum | cut -c1-16)-1" ]; then
  say "Installing Python packages ($reqs)"
  .venv/bin/pip install -q --disable-pip-version-check -r "$reqs"
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi

# --- test tools -------------------------------------------------------------------------------
if [ $DEV = 1 ] && [ -f tests/js/package.json ]; then
  if [ ! -d tests/js/node_modules ] || [ tests/js/package.json -nt tests/js/node_modules ]; then
    say "Installing the npm client used by the end-to-end tests"
    (cd tests/js && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    touch tests/js/node_modules
  fi
fi
exit 0

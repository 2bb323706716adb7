#!/usr/bin/env bash
# `make run`: create the demo site on the embedded default (SQLite) when there is none, then
# serve the desk on http://127.0.0.1:8000 with a worker and the scheduler.
set -euo pipefail
cd "$(dirname "$0")/.."
E=.venv/bin/eoffice
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

redis_ok() { .venv/bin/python -c "import redis,sys; redis.Redis.from_url('redis://127.0.0.1:6379/0', socket_connect_timeout=1).ping()" 2>/dev/null; }

if [ -z "$($E list-sites)" ]; then
  say "Creating the demo site (Gia Lâm 2017) on SQLite"
  if redis_ok; then $E new-site demo --demo; else $E new-site demo --demo --inline-jobs; fi
fi
$E migrate --noinput -v0
$E collectstatic --noinput -v0

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
mode=$(.venv/bin/python -c "from eoffice import sites; print(sites.load_site_config(sites.current_site_name()).get('background_jobs', 'rq'))")
if [ "$mode" = rq ]; then
  redis_ok || { echo "Redis is not reachable at 127.0.0.1:6379; start it, or recreate the site with --inline-jobs" >&2; exit 1; }
  $E worker & pids+=($!)
  $E scheduler & pids+=($!)
fi

cat <<MSG

  eOffice is running on http://127.0.0.1:8000  (Ctrl-C stops it)
  Demo logins, password Demo@2017:
    vanthu@gialam.demo         Văn thư, UBND huyện
    chutich@gialam.demo        Lãnh đạo, UBND huyện
    tp.tnmt@gialam.demo        Lãnh đạo đơn vị, Phòng Tài nguyên và Môi trường
    cv.tnmt@gialam.demo        Chuyên viên, Phòng Tài nguyên và Môi trường
    ct.dongdu@gialam.demo      Lãnh đạo đơn vị, xã Đông Dư
    cb.dongdu@gialam.demo      Chuyên viên, xã Đông Dư
    cb.batrang@gialam.demo     Chuyên viên, xã Bát Tràng
    vanthu.dongdu@gialam.demo  Văn thư, xã Đông Dư
    admin@gialam.demo          Quản trị

MSG
$E serve --bind 127.0.0.1:8000 & pids+=($!)
wait "${pids[-1]}"

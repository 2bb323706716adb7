#!/usr/bin/env bash
# Make sure the services the test suite talks to are up: MariaDB on 127.0.0.1:3306 (root,
# no password) and Redis on 127.0.0.1:6379. Uses the running ones; where one is missing or
# stopped, installs it from Debian's packages (as root) and starts it.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
DB_HOST=127.0.0.1 DB_PORT=3306

mariadb_up() { mariadb-admin --protocol=tcp -h$DB_HOST -P$DB_PORT -uroot ping >/dev/null 2>&1; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "Please install: $*" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
wait_for() {  # wait_for NAME CHECK
  for _ in $(seq 1 60); do "$2" && return 0; sleep 0.5; done
  echo "$1 did not start" >&2; exit 1
}

if ! mariadb_up; then
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || { say "Installing MariaDB"; apt_install mariadb-server mariadb-client; }
  say "Starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then mariadb-install-db --user=mysql >/dev/null; fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for MariaDB mariadb_up
fi
# root over TCP without a password, as the tests expect; harmless when it is so already.
if ! mariadb -h$DB_HOST -P$DB_PORT -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;"
fi
mariadb -h$DB_HOST -P$DB_PORT -uroot -Nse "SELECT 1 FROM information_schema.COLLATIONS WHERE COLLATION_NAME LIKE '%uca1400_ai_ci' LIMIT 1" | grep -q 1 \
  || { echo "This MariaDB has no uca1400 collations (MariaDB 10.10 or newer is needed)" >&2; exit 1; }

# Time zone tables: without them CONVERT_TZ gives NULL and Django's __date/__year lookups on
# datetime columns silently match nothing (USE_TZ with Asia/Ho_Chi_Minh).
tz_ok=$(mariadb -h$DB_HOST -P$DB_PORT -uroot -Nse "SELECT CONVERT_TZ('2026-01-01 00:00:00','UTC','Asia/Ho_Chi_Minh') IS NOT NULL")
if [ "$tz_ok" != 1 ]; then
  say "Loading MariaDB's time zone tables"
  command -v mariadb-tzinfo-to-sql >/dev/null && tzconv=mariadb-tzinfo-to-sql || tzconv=mysql_tzinfo_to_sql
  "$tzconv" /usr/share/zoneinfo 2>/dev/null | mariadb -h$DB_HOST -P$DB_PORT -uroot mysql
fi

if ! redis_up; then
  command -v redis-server >/dev/null || { say "Installing Redis"; apt_install redis-server; }
  say "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/eoffice-test.log
  wait_for Redis redis_up
fi
say "MariaDB and Redis are up"

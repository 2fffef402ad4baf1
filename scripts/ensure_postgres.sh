#!/usr/bin/env bash
# Installs what the shared-catalog tests need, when missing: Debian's PostgreSQL server (initdb and postgres
# under /usr/lib/postgresql/*/bin). The tests start their own throwaway server from these binaries. Only as
# root with apt-get; otherwise it says what is missing and exits 1, so the tests fail loudly instead of
# passing without a server.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: PostgreSQL server binaries missing; install them (as root: apt-get install -y postgresql)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "ensure_postgres: initdb still missing after apt-get" >&2; exit 1; }

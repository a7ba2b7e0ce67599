# shellcheck shell=bash
# A throwaway PostgreSQL cluster for a test run.
#
#   source scripts/lib/ensure.sh      # for log, die, pg_bindir
#   source scripts/lib/postgres.sh
#   trap pg_stop EXIT                 # or call pg_stop from your own EXIT trap
#   pg_start                          # exports DATABASE_URL, PGHOST, PGPORT, PGUSER, PGDATABASE
#
# pg_start makes a temp dir (owned by the postgres OS user when run as root,
# since the server refuses to run as root; as another user, by that user),
# runs initdb into it with trust auth, and starts the server listening only on
# 127.0.0.1 on a free port, with its unix socket inside the temp dir and fsync
# off. The default "postgres" database and superuser are used; nothing else is
# created. pg_stop stops the server and removes the temp dir; it is safe to
# call more than once, and when nothing was started.

PG_TMPDIR=""
PG_BIN=""
PG_PORT=""

# A free TCP port on 127.0.0.1, as the kernel hands it out.
_pg_free_port() {
  node -e '
    const s = require("node:net").createServer()
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })
  '
}

# Run a command as the cluster's owner, in the temp dir (postgres cannot read
# the caller's working directory when that is, say, under /root).
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$PG_TMPDIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_TMPDIR" && "$@")
  fi
}

pg_start() {
  [[ -z $PG_TMPDIR ]] || die "pg_start: a cluster is already running in $PG_TMPDIR"
  PG_BIN="$(pg_bindir)" || die "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run ensure_postgres"

  if [[ $(id -u) -eq 0 ]]; then
    # /tmp, not $TMPDIR: the postgres user must be able to reach it.
    PG_TMPDIR="$(mktemp -d /tmp/redress-pg.XXXXXX)"
    chown postgres:postgres "$PG_TMPDIR"
  else
    PG_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/redress-pg.XXXXXX")"
  fi

  _pg_as_owner "$PG_BIN/initdb" -D "$PG_TMPDIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C --no-sync --no-instructions >"$PG_TMPDIR/initdb.log" 2>&1 || {
    cat "$PG_TMPDIR/initdb.log" >&2
    die "initdb failed"
  }

  # Another process may take the port between _pg_free_port and the server's
  # bind: try a few ports before giving up.
  local attempt started=0
  for attempt in 1 2 3; do
    PG_PORT="$(_pg_free_port)"
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMPDIR/data" -l "$PG_TMPDIR/server.log" \
      -w -t 30 -s \
      -o "-F -h 127.0.0.1 -p $PG_PORT -k '$PG_TMPDIR' -c synchronous_commit=off -c full_page_writes=off" \
      start; then
      started=1
      break
    fi
    log "postgres did not start on port $PG_PORT (attempt $attempt)"
  done
  if [[ $started -ne 1 ]]; then
    tail -n 30 "$PG_TMPDIR/server.log" >&2 || true
    die "could not start PostgreSQL (log above)"
  fi

  # Bounded wait (30 s) until it accepts TCP connections on 127.0.0.1.
  local deadline=$((SECONDS + 30))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; do
    if ((SECONDS >= deadline)); then
      tail -n 30 "$PG_TMPDIR/server.log" >&2 || true
      die "PostgreSQL on 127.0.0.1:$PG_PORT not ready after 30 s (log above)"
    fi
    sleep 0.2
  done

  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres
  log "postgres ready: DATABASE_URL=$DATABASE_URL (data in $PG_TMPDIR)"
}

pg_stop() {
  [[ -n $PG_TMPDIR ]] || return 0
  local dir="$PG_TMPDIR" pid=""
  if [[ -f $dir/data/postmaster.pid ]]; then
    # Immediate mode: the data is thrown away, so no shutdown checkpoint.
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 15 -s stop >/dev/null 2>&1 || true
    # Still there (pg_ctl timed out or failed)? Kill the postmaster.
    if [[ -f $dir/data/postmaster.pid ]]; then
      pid="$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
      if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf -- "$dir"
  PG_TMPDIR=""
  unset DATABASE_URL PGHOST PGPORT PGUSER PGDATABASE
}

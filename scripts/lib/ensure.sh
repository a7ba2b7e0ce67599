# shellcheck shell=bash
# Install-if-missing helpers shared by scripts/start and scripts/test.
#
# Source it (bash, `set -euo pipefail` in the caller); it defines functions and
# sets a few environment variables, and installs nothing by itself. Every
# ensure_* function is safe to re-run: it checks first and does nothing when
# the tool is already there.
#
#   ensure_node          Node >= 20.19 or fail
#   ensure_pnpm          pnpm exactly 10.34.9 (npm i -g; corepack is not used)
#   ensure_deps          pnpm install --frozen-lockfile
#   ensure_chromium      Debian's /usr/bin/chromium (apt-get)
#   ensure_postgres      PostgreSQL server binaries and the postgres OS user (apt-get)
#   print_versions       node, pnpm, chromium, postgres versions on one block

REDRESS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REDRESS_NODE_MIN=20.19.0
REDRESS_PNPM_VERSION=10.34.9
REDRESS_CHROMIUM=/usr/bin/chromium

# Never let Playwright (or anything else) fetch a browser build: the test run
# uses Debian's Chromium. Apt must never prompt.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive
# runuser and useradd live in /usr/sbin, which a non-login root shell may lack.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH="$PATH:/usr/sbin:/sbin" ;;
esac

log() { printf '[redress] %s\n' "$*"; }
die() {
  printf '[redress] error: %s\n' "$*" >&2
  exit 1
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root, or install sudo)"
  fi
}

# apt-get's and dpkg's output goes to a log, shown only when apt-get fails.
_REDRESS_APT_UPDATED=0
_apt() {
  local out rc=0
  out="$(mktemp)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0 "$@" >"$out" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail -n 40 "$out" >&2
    rm -f "$out"
    die "apt-get $* failed (exit $rc; last lines above)"
  fi
  rm -f "$out"
}
apt_install() {
  local t0=$SECONDS
  if [[ $_REDRESS_APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    _apt update
    _REDRESS_APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  _apt install -y "$@"
  log "installed $* in $((SECONDS - t0)) s"
}

ensure_node() {
  command -v node >/dev/null 2>&1 ||
    die "node not found: install Node.js >= $REDRESS_NODE_MIN (Node 20 LTS) first"
  local have
  have="$(node -p 'process.versions.node')"
  node -e '
    const [a, b] = process.argv.slice(1).map((v) => v.split(".").map(Number))
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) process.exit(a[i] > b[i] ? 0 : 1)
  ' "$have" "$REDRESS_NODE_MIN" ||
    die "Node $have is too old: Redress needs Node >= $REDRESS_NODE_MIN (see engines in package.json)"
}

ensure_pnpm() {
  local have=""
  if command -v pnpm >/dev/null 2>&1; then
    have="$(pnpm --version 2>/dev/null || true)"
  fi
  if [[ $have != "$REDRESS_PNPM_VERSION" ]]; then
    log "pnpm ${have:-not found}: installing pnpm@$REDRESS_PNPM_VERSION with npm (no corepack)"
    local npm_global
    npm_global="$(npm prefix -g 2>/dev/null)"
    if [[ -w $npm_global/lib || (! -e $npm_global/lib && -w $npm_global) ]]; then
      npm i -g "pnpm@$REDRESS_PNPM_VERSION"
    else
      as_root npm i -g "pnpm@$REDRESS_PNPM_VERSION"
    fi
    hash -r
    have="$(pnpm --version 2>/dev/null || true)"
    [[ $have == "$REDRESS_PNPM_VERSION" ]] ||
      die "pnpm on PATH ($(command -v pnpm || echo none)) is '${have:-?}' after installing $REDRESS_PNPM_VERSION: fix PATH so npm's global bin comes first"
  fi
  _REDRESS_PNPM_OK=1
}

# Always runs: with an up-to-date node_modules it takes ~0.6 s ("Already up to
# date"), and it also catches a workspace package added without its links.
ensure_deps() {
  (cd "$REDRESS_ROOT" && pnpm install --frozen-lockfile) ||
    die "pnpm install --frozen-lockfile failed (if a package.json changed, run 'pnpm install' and commit pnpm-lock.yaml)"
}

# Chromium, and a font with Chinese glyphs (WenQuanYi Micro Hei, 5 MB) so the zh-CN
# screenshots the browser tests save for review show characters, not empty boxes.
ensure_chromium() {
  if [[ ! -x $REDRESS_CHROMIUM ]]; then
    apt_install chromium
    [[ -x $REDRESS_CHROMIUM ]] || die "apt-get install chromium did not provide $REDRESS_CHROMIUM"
  fi
  [[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || apt_install fonts-wqy-microhei
}

# Newest /usr/lib/postgresql/N/bin that has initdb, or nothing.
pg_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n1) == "$dir" ]]; then
      best="$dir"
    fi
  done
  [[ -n $best ]] && printf '%s\n' "$best"
}

ensure_postgres() {
  if [[ -z $(pg_bindir) ]]; then
    # On Debian this also creates (but, with a policy-rc.d or no init system,
    # does not start) the packaged "main" cluster; the tests never use it.
    apt_install postgresql
    [[ -n $(pg_bindir) ]] || die "apt-get install postgresql did not provide /usr/lib/postgresql/*/bin/initdb"
  fi
  # The server refuses to run as root, so as root the test cluster runs as
  # "postgres"; the Debian package creates that user, but make sure.
  if [[ $(id -u) -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    log "creating the postgres system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

print_versions() {
  local chromium="not installed" postgres="not installed" bindir
  if [[ -x $REDRESS_CHROMIUM ]]; then
    chromium="$("$REDRESS_CHROMIUM" --version 2>/dev/null | head -n1 || echo '?')"
  fi
  bindir="$(pg_bindir || true)"
  if [[ -n $bindir ]]; then
    postgres="$("$bindir/postgres" --version 2>/dev/null || echo '?')"
  fi
  log "node     $(node --version)"
  if [[ ${_REDRESS_PNPM_OK:-0} -eq 1 ]]; then
    log "pnpm     $REDRESS_PNPM_VERSION"
  else
    log "pnpm     $(pnpm --version 2>/dev/null || echo 'not found')"
  fi
  log "chromium $chromium"
  log "postgres $postgres"
}

# shellcheck shell=bash
# The tarballs a release would publish, made from the built workspace.
#
#   source scripts/lib/ensure.sh   # for log, die, REDRESS_ROOT
#   source scripts/lib/pack.sh
#   pack_packages DIR              # DIR/redress-<name>-<version>.tgz for each package
#
# `pnpm pack`, not `npm pack`: it turns the `workspace:*` and `catalog:`
# ranges into the versions a registry understands, as `pnpm publish` would.
# It packs what is built: `pnpm -r run build` first (pack_packages fails when
# a package has no dist/).

# In dependency order, so a reader of the list sees what needs what.
REDRESS_PACKAGES=(protocol sdk widget dashboard server)

pack_packages() {
  local dest="$1" name
  mkdir -p "$dest"
  for name in "${REDRESS_PACKAGES[@]}"; do
    [[ -d $REDRESS_ROOT/packages/$name/dist ]] ||
      die "packages/$name/dist is missing: run 'pnpm -r run build' first"
    (cd "$REDRESS_ROOT/packages/$name" && pnpm pack --pack-destination "$dest" >/dev/null) ||
      die "pnpm pack failed in packages/$name"
  done
}

# The tarball of one package in DIR: pack_tarball DIR NAME
pack_tarball() {
  local found=("$1"/redress-"$2"-*.tgz)
  [[ -f ${found[0]} ]] || die "no tarball for @redress/$2 in $1"
  printf '%s\n' "${found[0]}"
}

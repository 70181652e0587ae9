#!/bin/sh
# Package the PyInstaller one-folder bundle as a relocatable Linux tarball:
#   dist/oncoboard/  ->  dist/oncoboard-<version>-linux-x86_64.tar.gz
# Run after `make bundle`.  Usage: packaging/linux/make_tarball.sh [DIST_DIR]
# The tarball unpacks to oncoboard-<version>/ and runs from any folder:
#   tar xzf oncoboard-<version>-linux-x86_64.tar.gz
#   oncoboard-<version>/oncoboard --version         # CLI
#   oncoboard-<version>/oncoboard-gui               # desktop app
#   oncoboard-<version>/install-desktop-entry.sh    # optional: menu entry + icons
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
dist=${1:-$repo/dist}
bundle=$dist/oncoboard
[ -x "$bundle/oncoboard" ] || { echo "no bundle at $bundle: run 'make bundle' first" >&2; exit 1; }
version=$(cat "$bundle/_internal/VERSION")
arch=$(uname -m)
name=oncoboard-$version
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/$name
mkdir -p "$root"
cp -a "$bundle/." "$root/"
[ -e "$root/oncoboard-gui" ] || ln -s oncoboard "$root/oncoboard-gui"
mkdir -p "$root/share/applications" "$root/share/icons/hicolor/scalable/apps"
cp "$repo/packaging/linux/oncoboard.desktop" "$root/share/applications/"
for size in 16 32 48 64 128 256; do
  mkdir -p "$root/share/icons/hicolor/${size}x${size}/apps"
  cp "$repo/assets/icons/oncoboard-$size.png" "$root/share/icons/hicolor/${size}x${size}/apps/oncoboard.png"
done
cp "$repo/assets/icons/oncoboard.svg" "$root/share/icons/hicolor/scalable/apps/"
cp "$repo/packaging/linux/install-desktop-entry.sh" "$root/"
cp "$repo/packaging/config.template.toml" "$root/config.template.toml"
cp "$repo/LICENSE" "$repo/NOTICE" "$root/"
cat > "$root/README.txt" <<TXT
OncoBoard $version for Linux ($arch)

Runs from this folder; nothing needs installing and no network is used.
  ./oncoboard --help        command line (oncoboard report CASE.json -o out.pdf, ...)
  ./oncoboard-gui           desktop application (also: ./oncoboard gui)
  ./install-desktop-entry.sh [--system]   add a menu entry and icons (optional)

Machine-wide settings (institution, data folder, KB key, locked keys):
/etc/oncoboard/config.toml; start from config.template.toml.
Deployment guide: docs/deployment.md in the OncoBoard source.
Decision support only: every option must be verified by the treating team.
TXT
out=$dist/$name-linux-$arch.tar.gz
# Sorted, owner-neutral entries so the archive does not depend on who built it.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$out" "$name"
echo "$out ($(du -h "$out" | cut -f1))"

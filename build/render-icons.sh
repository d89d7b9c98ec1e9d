#!/usr/bin/env bash
# Renders the app icon (build/icon.svg) to the PNGs the packages and the window use:
#   build/icon.png          1024×1024: electron-builder makes the macOS .icns and Windows .ico from it
#   build/icons/NxN.png     the Linux icon set (AppImage, deb) and the window icon (512×512)
# Needs rsvg-convert (Debian: librsvg2-bin). Without installing it:
#   apt-get download librsvg2-bin && dpkg -x librsvg2-bin_*.deb data/cache/pkgs/librsvg2-bin
set -euo pipefail
cd "$(dirname "$0")"
RSVG=${RSVG:-$(command -v rsvg-convert || echo ../data/cache/pkgs/librsvg2-bin/usr/bin/rsvg-convert)}
"$RSVG" --width 1024 --height 1024 icon.svg -o icon.png
mkdir -p icons
for size in 16 24 32 48 64 128 256 512; do
  "$RSVG" --width "$size" --height "$size" icon.svg -o "icons/${size}x${size}.png"
done
echo "rendered build/icon.png and build/icons/*.png with $RSVG"

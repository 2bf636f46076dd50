#!/usr/bin/env bash
# Installs dyadwatch as a systemd service in the usual FHS places:
#   /usr/local/lib/dyadwatch/dyadwatch (+ its *.resources bundles beside it, where the binary
#   looks for the analyzer's data), symlinked as /usr/local/bin/dyadwatch;
#   /etc/dyadwatch/feeds.conf (never overwritten; a newer copy goes to feeds.conf.dist);
#   /etc/systemd/system/dyadwatch.service; /etc/logrotate.d/dyadwatch;
#   /usr/local/share/doc/dyadwatch/. State goes to /var/lib/dyadwatch and logs to
#   /var/log/dyadwatch, both created by systemd (StateDirectory=, LogsDirectory=).
# Usage: scripts/install.sh [--no-build]   (PREFIX=/usr/local, DESTDIR= for staging)
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
build=1
for arg in "$@"; do
    case "$arg" in
        --no-build) build=0 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install: unknown argument $arg" >&2; exit 2 ;;
    esac
done

if [ "$build" -eq 1 ]; then
    scripts/bootstrap.sh
    swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
fi
bindir="$(swift build -c release --show-bin-path)"
[ -x "$bindir/dyadwatch" ] || { echo "install: $bindir/dyadwatch not built (run without --no-build)" >&2; exit 1; }

libdir="$DESTDIR$PREFIX/lib/dyadwatch"
install -d -m 0755 "$libdir" "$DESTDIR$PREFIX/bin" "$DESTDIR/etc/dyadwatch" "$DESTDIR/etc/systemd/system" \
    "$DESTDIR/etc/logrotate.d" "$DESTDIR$PREFIX/share/doc/dyadwatch"
install -m 0755 "$bindir/dyadwatch" "$libdir/dyadwatch"
for bundle in "$bindir"/*.resources; do
    [ -e "$bundle" ] || continue
    rm -rf "$libdir/$(basename "$bundle")"
    cp -R "$bundle" "$libdir/"
    chmod -R u=rwX,go=rX "$libdir/$(basename "$bundle")"
done
ln -sfn "$PREFIX/lib/dyadwatch/dyadwatch" "$DESTDIR$PREFIX/bin/dyadwatch"

# The shipped feeds.conf with the [daemon] paths pointed at the service's directories.
conf="$(mktemp)"
trap 'rm -f "$conf"' EXIT
python3 - feeds.conf "$conf" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
paths = {"state_dir": "/var/lib/dyadwatch", "log_dir": "/var/log/dyadwatch", "trends_dir": "/var/lib/dyadwatch/trends"}
out, section, seen = [], None, set()
for line in open(src, encoding="utf-8"):
    header = re.match(r"\s*\[+([^\]]+)\]+", line)
    if header:
        if section == "daemon":
            out.extend(f'{k} = "{v}"\n' for k, v in paths.items() if k not in seen)
        section = header.group(1).strip()
    key = re.match(r"\s*#?\s*([a-z_]+)\s*=", line)
    if section == "daemon" and key and key.group(1) in paths:
        seen.add(key.group(1))
        line = f'{key.group(1)} = "{paths[key.group(1)]}"\n'
    out.append(line)
if section == "daemon":
    out.extend(f'{k} = "{v}"\n' for k, v in paths.items() if k not in seen)
if "daemon" not in {m.group(1) for m in re.finditer(r"^\[(\w+)\]", "".join(out), re.M)}:
    out.insert(0, "[daemon]\n" + "".join(f'{k} = "{v}"\n' for k, v in paths.items()) + "\n")
open(dst, "w", encoding="utf-8").writelines(out)
PY
if [ -e "$DESTDIR/etc/dyadwatch/feeds.conf" ]; then
    install -m 0644 "$conf" "$DESTDIR/etc/dyadwatch/feeds.conf.dist"
    echo "install: kept /etc/dyadwatch/feeds.conf; the shipped one is feeds.conf.dist" >&2
else
    install -m 0644 "$conf" "$DESTDIR/etc/dyadwatch/feeds.conf"
fi

sed "s#/usr/local/#$PREFIX/#g" systemd/dyadwatch.service > "$DESTDIR/etc/systemd/system/dyadwatch.service"
chmod 0644 "$DESTDIR/etc/systemd/system/dyadwatch.service"
install -m 0644 systemd/dyadwatch.logrotate "$DESTDIR/etc/logrotate.d/dyadwatch"
install -m 0644 README.md ARCHITECTURE.md "$DESTDIR$PREFIX/share/doc/dyadwatch/"

if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    echo "install: done. Start it with: systemctl enable --now dyadwatch" >&2
else
    echo "install: done (systemd is not running here; enable the unit on the target system)" >&2
fi

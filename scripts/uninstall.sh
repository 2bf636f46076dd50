#!/usr/bin/env bash
# Removes what scripts/install.sh installed. Keeps /etc/dyadwatch, the state in
# /var/lib/dyadwatch and the logs in /var/log/dyadwatch unless --purge is given.
# Usage: scripts/uninstall.sh [--purge]   (PREFIX=/usr/local, DESTDIR= as for install)
set -euo pipefail

PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
purge=0
for arg in "$@"; do
    case "$arg" in
        --purge) purge=1 ;;
        -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
        *) echo "uninstall: unknown argument $arg" >&2; exit 2 ;;
    esac
done

if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
    systemctl disable --now dyadwatch.service 2>/dev/null || true
fi
rm -f "$DESTDIR$PREFIX/bin/dyadwatch" "$DESTDIR/etc/systemd/system/dyadwatch.service" "$DESTDIR/etc/logrotate.d/dyadwatch"
rm -rf "$DESTDIR$PREFIX/lib/dyadwatch" "$DESTDIR$PREFIX/share/doc/dyadwatch"
if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

if [ "$purge" -eq 1 ]; then
    rm -rf "$DESTDIR/etc/dyadwatch" \
        "$DESTDIR/var/lib/dyadwatch" "$DESTDIR/var/lib/private/dyadwatch" \
        "$DESTDIR/var/log/dyadwatch" "$DESTDIR/var/log/private/dyadwatch"
    echo "uninstall: removed, including configuration, state and logs" >&2
else
    echo "uninstall: removed; kept /etc/dyadwatch, /var/lib/dyadwatch and /var/log/dyadwatch (--purge removes them)" >&2
fi

#!/usr/bin/env bash
# Opens a trend page in headless Chromium, saves screenshots, and fails on a JavaScript error or a
# blank page, or when clicking an alert marker does not open its details. Installs Debian's
# `chromium` when missing.
#
#   scripts/check-page.sh                          # builds, replays the test fixtures, checks that page
#   scripts/check-page.sh PAGE.html [OUT.png]      # checks PAGE.html; screenshot (1280×800) to OUT.png
#
# Also writes OUT-phone.png (390×844) and OUT-dark.png (dark scheme). The page records script
# errors on <html data-js-error=…> and sets data-page-ok=1 when its script ran to the end; the
# DOM Chromium dumps after running it must have that mark, no error, and visible content, and
# each screenshot must have more than a handful of colours.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "check-page: installing chromium" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

page="${1:-}"
if [ -z "$page" ]; then
    scripts/bootstrap.sh
    swift build --product dyadwatch -Xcxx -DNDEBUG >&2
    .build/debug/dyadwatch replay --feeds Tests/PipelineTests/ReplayFixtures/feeds \
        --config examples/replay-2022.conf --out "$work/replay" >/dev/null
    page="$work/replay/trends/index.html"
fi
[ -f "$page" ] || { echo "check-page: no such page: $page" >&2; exit 1; }
page=$(realpath "$page")
shot="${2:-$work/page.png}"
mkdir -p "$(dirname "$shot")"
shot=$(realpath -m "$shot")

# Root needs --no-sandbox; a throw-away profile keeps runs independent.
chrome() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile" \
        --virtual-time-budget=3000 "$@" 2>>"$work/chromium.log"
}

chrome --window-size=1280,800 --dump-dom "file://$page" > "$work/dom.html"
# A copy with one more script that clicks the first alert marker: its popover must open with the
# alert's id (the page's own script does this; no marker, no test).
python3 - "$page" "$work/click.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
probe = """<script>(function(){var m=document.querySelector('a.marker'),r=document.documentElement;
if(!m){r.setAttribute('data-click-test','no-marker');return;}
m.dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true}));
var p=document.getElementById('popover'),id=m.getAttribute('data-alert-id');
r.setAttribute('data-click-test',!p.hidden&&p.textContent.indexOf(id)>=0?'ok':'fail');})();</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", probe + "</body>", 1))
PY
chrome --window-size=1280,800 --dump-dom "file://$work/click.html" > "$work/click-dom.html"
chrome --window-size=1280,800 --screenshot="$shot" "file://$page" >/dev/null
chrome --window-size=390,844 --screenshot="${shot%.png}-phone.png" "file://$page" >/dev/null
chrome --window-size=1280,800 --force-dark-mode --screenshot="${shot%.png}-dark.png" "file://$page" >/dev/null

python3 - "$work/dom.html" "$work/click-dom.html" "$shot" "${shot%.png}-phone.png" "${shot%.png}-dark.png" <<'PY'
import re, struct, sys, zlib

dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
problems = []
m = re.search(r'data-js-error="([^"]*)"', dom)
if m:
    problems.append("JavaScript error: " + m.group(1))
if 'data-page-ok="1"' not in dom:
    problems.append("the page script did not run to its end (no data-page-ok mark)")
if "<h1>" not in dom or not ("<svg" in dom or 'class="empty"' in dom):
    problems.append("no heading and no chart or empty-state message in the rendered page")
click = open(sys.argv[2], encoding="utf-8", errors="replace").read()
m = re.search(r'data-click-test="([^"]*)"', click)
if m is None or m.group(1) == "fail":
    problems.append("clicking an alert marker did not open its details")
elif m.group(1) == "ok":
    print("check-page: clicking a marker opens its alert details")

def colours(path):
    """Distinct colours of an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w, h, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6) and body[12] == 0, "unsupported PNG layout"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, seen = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            seen.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        prev = line
    return len(seen), w, h

for path in sys.argv[3:]:
    n, w, h = colours(path)
    print(f"check-page: {path}: {w}x{h}, {n} colours")
    if n < 8:
        problems.append(f"{path} looks blank ({n} colours)")

for p in problems:
    print("check-page: FAIL: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "check-page: OK: $page (no script error, content rendered)"

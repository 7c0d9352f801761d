#!/usr/bin/env bash
# Regenerates the README screenshots docs/report.png and docs/pitch.png from the bundled sample county.
# Needs chromium (apt-get install chromium) and, for Chinese glyphs in the PNGs, a CJK font such as
# fonts-noto-cjk; the report itself only names generic font stacks.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=out/screenshots
mkdir -p "$OUT"
$BIN/painpoint -q report --plans data/plans --orgs data/orgs --out out/report
$BIN/painpoint -q pitch --org sl-anyang-zhaohu --department 示例县民政局 --output "$OUT/pitch.md"
# The brief is Markdown; render it as a page (markdown-it-py comes with rich) to show what a reader sees.
$BIN/python - "$OUT/pitch.md" "$OUT/pitch.html" <<'PY'
import sys
from html import escape
from markdown_it import MarkdownIt
from painpoint.report.html import FONT_STACK
source, target = sys.argv[1], sys.argv[2]
body = MarkdownIt("commonmark", {"html": False}).render(open(source, encoding="utf-8").read())
css = (f"body{{font-family:{FONT_STACK};max-width:820px;margin:24px auto;padding:0 24px;line-height:1.6;"
       "color:#1f2933}h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #d9e2ec}h3{font-size:15px}"
       "li,p{font-size:14px}blockquote{color:#52606d;border-left:4px solid #d9e2ec;margin:0;padding-left:12px}"
       "code{background:#f0f4f8;font-size:12px}")
page = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(source)}</title>' \
       f"<style>{css}</style></head><body>{body}</body></html>"
open(target, "w", encoding="utf-8").write(page)
PY
shoot() {  # shoot URL PNG WIDTH HEIGHT
    local profile
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars \
        --window-size="$3,$4" --screenshot="$2" "$1" 2>/dev/null
    rm -rf "$profile"
}
shoot "file://$PWD/out/report/report.html" docs/report.png 1200 2300
shoot "file://$PWD/$OUT/pitch.html" docs/pitch.png 900 2000
echo "wrote docs/report.png and docs/pitch.png" >&2

"""Test inputs built in code: realistic Chinese text, PDFs with a Chinese text layer, zip bombs."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Written for these tests in the style of a civil-affairs five-year plan (no real document copied).
PLAN_PARAGRAPH = (
    "为全面贯彻落实《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》，"
    "进一步健全基本民生保障体系，结合本市实际，制定本规划。规划期内，要坚持以人民为中心的发展思想，"
    "聚焦“一老一小”等重点人群，加快完善城乡社区养老服务网络，推动居家社区机构相协调、医养康养相结合的"
    "养老服务体系建设；加强困境儿童、留守儿童关爱保护，健全未成年人保护工作机制；深化社会组织登记管理改革，"
    "引导社会组织、社会工作者和志愿者有序参与社会治理。到2025年，每千名老年人拥有养老床位数达到35张，"
    "乡镇（街道）社会工作站覆盖率达到100%，社区综合服务设施覆盖率保持在100%以上。"
)
"""One paragraph of about 290 characters; normalize_line leaves it unchanged."""

PLAN_LINES = (
    "第一章 总体要求",
    PLAN_PARAGRAPH,
    "（一）健全社会救助体系",
    "加强低收入人口动态监测，做到早发现、早干预、早帮扶。",
)
"""A few lines of a plan: a chapter heading, the paragraph, a numbered heading, a short sentence."""


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose text layer holds `pages` (lists of lines), through a Type0 font's ToUnicode map.

    No font program is embedded: viewers would show boxes, but text extraction only needs the map from
    glyph ids to Unicode, which is exactly what real Chinese PDFs carry.
    """
    chars = sorted({c for page in pages for line in page for c in line})
    glyph = {c: i + 1 for i, c in enumerate(chars)}
    page_ids = [7 + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: ("<< /Type /Pages /Kids [" + " ".join(f"{p} 0 R" for p in page_ids)
            + f"] /Count {len(pages)} >>").encode(),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H"
           b" /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe)"
           b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>",
        6: b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0"
           b" /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>",
    }
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    pairs = list(glyph.items())
    for start in range(0, len(pairs), 100):  # a bfchar block holds at most 100 entries
        chunk = pairs[start:start + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap += [f"<{gid:04X}> <{c.encode('utf-16-be').hex().upper()}>" for c, gid in chunk]
        cmap.append("endbfchar")
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    objects[5] = _stream("\n".join(cmap).encode())
    for page_id, lines in zip(page_ids, pages, strict=True):
        ops = ["BT", "/F1 12 Tf", "72 800 Td"]
        for i, line in enumerate(lines):
            if i:
                ops.append("0 -20 Td")
            ops.append("<" + "".join(f"{glyph[c]:04X}" for c in line) + "> Tj")
        ops.append("ET")
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources"
                            f" << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>").encode()
        objects[page_id + 1] = _stream("\n".join(ops).encode())
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def make_zip_bomb(path: Path, unpacked_mb: int) -> None:
    """A .docx-shaped zip whose word/document.xml inflates to `unpacked_mb` MB of zeros (~1/1000 on disk)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(unpacked_mb):
                entry.write(chunk)

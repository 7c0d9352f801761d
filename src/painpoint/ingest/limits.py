"""Size limits that keep one bad input file from exhausting memory or time.

Each limit is far above any real planning document (the longest in the development corpus is about
150,000 characters), so only broken, hostile or mis-chosen files reach them.
"""

from __future__ import annotations

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file read at all (50 MB). Checked with stat() before reading, then again on the bytes read."""

MAX_HTML_BYTES = 20 * 1024 * 1024
"""Largest .html/.htm file (20 MB). BeautifulSoup holds about 25 times the file size in memory and parses
about 2.5 MB per second, so 20 MB already costs roughly 500 MB and 8 seconds; saved web pages of real plans
are well under 5 MB."""

MAX_TEXT_CHARS = 5_000_000
"""Most characters of extracted text per document (about 30 times the longest real plan)."""

MAX_LINE_CHARS = 5_000
"""Longest line handed downstream. Real paragraphs stay below about 4,000 characters; longer lines are
text whose line breaks were lost (a whole report pasted as one line). They are cut after sentence
punctuation (。！？；) into pieces that all keep the original line number."""

MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
"""Largest total uncompressed size of a .docx's zip entries (200 MB), checked before anything is unpacked
so a zip bomb is refused without inflating it. Python's zipfile never returns more than an entry's declared
size for deflated entries, so the declared sizes are a true bound; entries compressed any other way (Word
never writes them) are refused, since bzip2/lzma inflate a whole chunk at once."""

MAX_DOCX_ENTRIES = 10_000
"""Most zip entries in a .docx; real ones hold a few dozen (more with many embedded images)."""

MAX_DOCX_TAGS = 3_000_000
"""Most XML tags (`<`) in all of a .docx's parts together, counted while inflating, before python-docx parses
them; it bounds the elements python-docx would build. A 150,000-character plan is well under 300,000 tags;
lxml and python-docx hold about 200 bytes per element, so a file at the limit parses in under 1 GB.
Without it, a 0.3 MB file of 34 million empty runs (`<w:r/>`, 200 MB unpacked, under
MAX_DOCX_UNCOMPRESSED) took 4.4 GB."""

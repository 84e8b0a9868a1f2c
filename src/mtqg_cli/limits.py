"""Every bound mtqg puts on a received file, in one place (``docs/limits.md`` explains each one).

A bound is checked before its cost is paid: the file's size before it is opened, the unpacked size of each part
while it is inflated, the used area of each sheet before a grid of cells is built. A legitimate file over a bound
is read by raising the bound for one run with an environment variable of the same name, ``MTQG_`` before it:
``MTQG_MAX_ROWS=300000 mtqg validate big.xlsx``.
"""

from __future__ import annotations

import os


def _bound(name: str, default: int) -> int:
    raw = os.environ.get("MTQG_" + name, "").strip().replace("_", "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


#: a received file on disk (a form's return is tens of kilobytes; a workbook with photos a few megabytes)
MAX_FILE_BYTES = _bound("MAX_FILE_BYTES", 50 * 1024 * 1024)
#: every part of an .xlsx/.ods unpacked, together (a zip bomb unpacks to gigabytes)
MAX_UNZIPPED_BYTES = _bound("MAX_UNZIPPED_BYTES", 400 * 1024 * 1024)
#: one sheet's XML unpacked: about half a million rows of a small form
MAX_SHEET_XML_BYTES = _bound("MAX_SHEET_XML_BYTES", 64 * 1024 * 1024)
#: rows of a sheet's used area (a form has a row per unit: 3,321 communes at most, 10,040 before 2025)
MAX_ROWS = _bound("MAX_ROWS", 100_000)
#: cells of a sheet's used area (rows x columns, as the reader lays them out: about 160 MB of memory)
MAX_CELLS = _bound("MAX_CELLS", 5_000_000)
#: a figure's size: no return of the programmes holds a number this large, and Decimal sums of 10,000 such
#: figures still fit in 28 digits
MAX_FIGURE_DIGITS = _bound("MAX_FIGURE_DIGITS", 18)
#: a cell's text read into a message (longer text is shortened in messages, never in the data)
MAX_SHOWN_TEXT = 200

#: files read whole into memory and sniffed there (smaller than this); larger ones are streamed
FAST_READ_BYTES = 8 * 1024 * 1024

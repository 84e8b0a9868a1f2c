"""Writing what the toolkit produces: the compiled Excel table and annex, the Word report.

Every output is written to a temporary file beside its target and moved into place in one step, so a crash
never leaves half a file; text that came from a received workbook is always written as text, never as a formula.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_TMP_MARK = ".mtqg-tmp-"  # in every temporary name, so that only ours are ever cleaned up
_STALE_SECONDS = 3600  # a temporary file this old was left by a run that was killed


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` then move ``tmp`` onto ``path`` atomically. Temporary files a killed run left beside
    ``path`` (an hour old and more) are removed first."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target.parent)
    stem = target.stem[:40]  # a long name stays a valid temporary name (255 bytes at most)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{stem}{_TMP_MARK}", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files: give the output the usual permissions
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _clean_stale(folder: Path) -> None:
    import time

    now = time.time()
    try:
        for tmp in folder.glob(f".*{_TMP_MARK}*"):
            try:
                if now - tmp.stat().st_mtime > _STALE_SECONDS and tmp.is_file():
                    tmp.unlink()
            except OSError:
                pass  # another run's, or not ours to remove
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)

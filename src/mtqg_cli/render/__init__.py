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


_TMP_MARK = ".mtqg-tmp-"  # in every temporary name (with the writer's process id), so only ours are cleaned up
_STALE_SECONDS = 3600  # a temporary file this old was left by a run that was killed, whatever its process id


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` then move ``tmp`` onto ``path`` atomically. Temporary files a killed run left beside
    ``path`` (an hour old and more) are removed first."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target.parent)
    stem = target.stem[:40]  # a long name stays a valid temporary name (255 bytes at most)
    prefix = f".{stem}{_TMP_MARK}{os.getpid()}-"
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=target.suffix, dir=target.parent)
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
                if tmp.is_file() and (not _writer_alive(tmp.name) or now - tmp.stat().st_mtime > _STALE_SECONDS):
                    tmp.unlink()
            except OSError:
                pass  # another run's, or not ours to remove
    except OSError:
        pass


def _writer_alive(name: str) -> bool:
    """Whether the process that made a temporary file still runs (True when that cannot be told)."""
    try:
        pid = int(name.split(_TMP_MARK, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return True
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # told by its age alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)

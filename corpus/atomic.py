"""Atomic file writes: write beside, fsync, rename over, fsync the folder.

A crash at any moment leaves either the old file or the new one, never half
of one; a leftover temporary file is recognisable by its suffix and removed by
the next `sweep_temporaries`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp-write"


def write_atomic(path: Path, data: bytes | str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def write_many_atomic(items: list[tuple[Path, bytes | str]]) -> None:
    """Write several files, each atomically, with one flush to disk for all of them.

    Bulk imports were bound by two fsyncs per entry (about 200 entries/s). Here
    every temporary is written, then one `os.sync()` makes them all durable,
    then each is renamed over its target and each folder is fsync'ed once: a
    crash still leaves each file old or new, never half written.
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
            )
            written.append((tmp_name, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
        os.sync()
        for tmp_name, path in written:
            os.replace(tmp_name, path)
        written_parents = {path.parent for _, path in written}
        written.clear()
    except BaseException:
        for tmp_name, _ in written:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
        raise
    for folder in written_parents:
        fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_temporaries(folder: Path) -> int:
    """Remove temporaries left by a write that was killed; returns how many."""
    removed = 0
    if folder.exists():
        for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed

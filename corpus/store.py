"""The corpus store: one YAML file per entry under `HOME/corpus/`, written atomically.

Files are the source of truth (the index and database can be rebuilt from
them); they are readable and diffable by people. A compare-and-set `put`
(`expected_version`) under a file lock is what keeps two editors from
overwriting each other, across processes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from corpus.atomic import sweep_temporaries, write_atomic, write_many_atomic
from observatory.entry import ID_PATTERN, Entry, entry_from_mapping
from observatory.errors import EntryInvalid, NotFound, StaleVersion

SUFFIX = ".yaml"


# libyaml's C loader and emitter when PyYAML has them: the same documents, about ten
# times faster than the pure-Python ones (0.09 ms instead of 0.9 ms per entry each way),
# which bulk imports and full re-indexing of 100,000 files feel.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _EntryDumper(FAST_SAFE_DUMPER):
    """Writes multi-line text as literal blocks so stored files stay readable."""


def _str_representer(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_EntryDumper.add_representer(str, _str_representer)


def dump_entry(entry: Entry) -> str:
    return yaml.dump(
        entry.to_mapping(), Dumper=_EntryDumper, allow_unicode=True, sort_keys=False, width=100
    )


class CorpusStore:
    def __init__(self, folder: Path, *, sweep: bool = True):
        """`sweep=False` leaves leftover temporaries for `observatory check` to report."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock_path = self.folder / ".lock"
        if sweep:
            self._sweep_if_idle()

    def path_of(self, entry_id: str) -> Path:
        if not ID_PATTERN.match(entry_id):
            raise NotFound(f"no entry {entry_id!r}")
        return self.folder / f"{entry_id}{SUFFIX}"

    def _sweep_if_idle(self) -> None:
        """Remove dead writers' temporaries, only while nobody writes (every write holds the
        lock); never wait for it: a store is also opened from inside a save's callback."""
        with open(self._lock_path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            try:
                sweep_temporaries(self.folder)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def locked(self):
        """An exclusive lock over the whole store, across processes and threads."""
        with open(self._lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def exists(self, entry_id: str) -> bool:
        try:
            return self.path_of(entry_id).exists()
        except NotFound:
            return False

    def get(self, entry_id: str) -> Entry:
        path = self.path_of(entry_id)
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise NotFound(f"no entry {entry_id!r}") from None
        return self._parse(path, text)

    @staticmethod
    def _parse(path: Path, text: str) -> Entry:
        try:
            data = yaml.load(text, Loader=FAST_SAFE_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise EntryInvalid("", f"{path.name}: stored file is not valid YAML: {exc}") from None
        entry = entry_from_mapping(data, detect_language=False)
        if entry.id != path.stem:
            raise EntryInvalid(
                "id", f"{path.name}: stored id {entry.id!r} does not match its file name"
            )
        return entry

    def _readable(self, entry_id: str) -> Entry | None:
        """The stored entry, or None when there is none or its file is unreadable (a valid
        entry written over a broken file repairs it)."""
        try:
            return self.get(entry_id)
        except (NotFound, EntryInvalid, UnicodeDecodeError):
            return None

    def put(
        self,
        entry: Entry,
        *,
        expected_version: str | None = None,
        on_stored: Callable[[Entry | None], None] | None = None,
    ) -> tuple[Entry, Entry | None]:
        """Store `entry`; returns (stored, previous or None).

        With `expected_version`, refuses (StaleVersion) unless the stored entry is
        still at that version: the check and the write happen under one lock.
        `on_stored(previous)` runs under that lock too, after the write, so what
        follows a save (history, write-through indexing) happens in save order.
        """
        with self.locked():
            previous = self._readable(entry.id)
            if expected_version is not None:
                current = previous.version if previous else ""
                if current != expected_version:
                    raise StaleVersion(entry.id, expected_version, current)
            if previous is None or previous.to_mapping() != entry.to_mapping():
                write_atomic(self.path_of(entry.id), dump_entry(entry))
            if on_stored is not None:
                on_stored(previous)
            return entry, previous

    def put_many(self, entries: list[Entry]) -> list[Entry | None]:
        """Store several entries under one lock and one flush to disk (bulk imports);
        returns the previous version of each, or None. Unchanged ones are not rewritten."""
        with self.locked():
            previous: list[Entry | None] = []
            writes = []
            for entry in entries:
                before = self._readable(entry.id)
                previous.append(before)
                if before is None or before.to_mapping() != entry.to_mapping():
                    writes.append((self.path_of(entry.id), dump_entry(entry)))
            if writes:
                write_many_atomic(writes)
            return previous

    def delete(self, entry_id: str) -> None:
        with self.locked():
            self.path_of(entry_id).unlink(missing_ok=True)

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob(f"*{SUFFIX}") if not p.name.startswith("."))

    @staticmethod
    def _mark(stat: os.stat_result) -> str:
        return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"

    def fingerprint(self, entry_id: str) -> str:
        """The change marker of one stored entry (see `fingerprints`)."""
        return self._mark(self.path_of(entry_id).stat())

    def fingerprints(self) -> dict[str, str]:
        """id -> a cheap change marker (modification time and size), from one directory scan."""
        marks: dict[str, str] = {}
        with os.scandir(self.folder) as scan:
            for item in scan:
                if item.name.endswith(SUFFIX) and not item.name.startswith("."):
                    marks[item.name[: -len(SUFFIX)]] = self._mark(item.stat())
        return marks

    def entries(self, on_error: Callable[[Path, Exception], None] | None = None) -> Iterator[Entry]:
        """Every stored entry, in id order; an unreadable file goes to `on_error` and is skipped."""
        for entry_id in self.ids():
            try:
                yield self.get(entry_id)
            except (EntryInvalid, NotFound, UnicodeDecodeError) as exc:
                if on_error is not None:
                    on_error(self.path_of(entry_id), exc)

    def __len__(self) -> int:
        return len(self.ids())

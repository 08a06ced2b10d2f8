"""Importers for YAML, JSON and CSV files and folders of them.

Every entry passes `entry_from_mapping`; a refused one is reported with its
file, entry and field while the others go in. Importing an id that is already
stored updates it (or leaves it alone when nothing changed). Re-running an
interrupted import finishes it: each entry is written atomically on its own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corpus.store import FAST_SAFE_LOADER, CorpusStore
from observatory.entry import Entry, entry_from_mapping
from observatory.errors import EntryInvalid, Refusal

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
MAX_FILE_BYTES = 50_000_000


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def changed_ids(self) -> list[str]:
        return self.added + self.updated

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.refused)} refused")


class FileRefused(Exception):
    """A whole file could not be read (encoding, syntax, size, shape)."""


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Refusal]]:
    """Expand folders recursively into importable files; unknown paths are refusals."""
    files: list[Path] = []
    refused: list[Refusal] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                refused.append(Refusal(str(path), "", "", "not a .yaml, .yml, .json or .csv file"))
        else:
            refused.append(Refusal(str(path), "", "", "no such file or folder"))
    return files, refused


def _decode(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"file is too large ({size} bytes, at most {MAX_FILE_BYTES})")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise FileRefused("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                          "save it as UTF-8 and import again") from None


def read_records(path: Path) -> Iterator[Any]:
    """The raw records of one file, before validation."""
    kind = SUFFIXES[path.suffix.lower()]
    text = _decode(path)
    if kind == "csv":
        yield from _csv_records(text)
        return
    try:
        data = json.loads(text) if kind == "json" else list(yaml.load_all(text, Loader=FAST_SAFE_LOADER))
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FileRefused(f"not valid {kind.upper()}: {exc}") from None
    if kind == "yaml":
        documents = [d for d in data if d is not None]
        data = documents[0] if len(documents) == 1 else documents
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        data = data["entries"]
    if isinstance(data, dict):
        yield data
    elif isinstance(data, list):
        yield from data
    elif data is None or data == []:
        return
    else:
        raise FileRefused(f"must hold an entry or a list of entries, not {type(data).__name__}")


def _csv_records(text: str) -> Iterator[dict[str, Any]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames or "id" not in [f.strip() for f in reader.fieldnames if f]:
        raise FileRefused("CSV needs a header row with at least the column 'id'")
    try:
        for row in reader:
            record = {k.strip(): v for k, v in row.items() if k and v not in (None, "")}
            if None in row:
                raise FileRefused(f"line {reader.line_num}: more cells than header columns")
            yield record
    except csv.Error as exc:
        raise FileRefused(f"line {reader.line_num}: {exc}") from None


def _label(record: Any, position: int) -> str:
    if isinstance(record, dict) and record.get("id") not in (None, ""):
        return str(record["id"])[:100]
    return f"#{position}"


def import_paths(store: CorpusStore, paths: Iterable[Path], *,
                 defaults: dict[str, Any] | None = None,
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import every entry of `paths` into `store`; one bad entry or file never stops the rest."""
    files, refused = find_files(paths)
    report = ImportReport(refused=refused)
    seen: dict[str, str] = {}
    for path in files:
        if progress:
            progress(path)
        position = 0
        try:
            for position, record in enumerate(read_records(path), start=1):
                label = _label(record, position)
                try:
                    if defaults and isinstance(record, dict):
                        record = {**defaults, **record}
                    entry = entry_from_mapping(record)
                except EntryInvalid as exc:
                    report.refused.append(Refusal(str(path), label, exc.field, exc.message))
                    continue
                if entry.id in seen:
                    report.refused.append(Refusal(str(path), label, "id",
                                                  f"duplicate id in this import (first in {seen[entry.id]})"))
                    continue
                seen[entry.id] = str(path)
                _store(store, entry, report)
        except FileRefused as exc:
            where = f"after entry #{position}: " if position else ""
            report.refused.append(Refusal(str(path), "", "", where + str(exc)))
        except OSError as exc:
            report.refused.append(Refusal(str(path), "", "", f"cannot read: {exc.strerror or exc}"))
    return report


def _store(store: CorpusStore, entry: Entry, report: ImportReport) -> None:
    _, previous = store.put(entry)
    if previous is None:
        report.added.append(entry.id)
    elif previous.to_mapping() == entry.to_mapping():
        report.unchanged.append(entry.id)
    else:
        report.updated.append(entry.id)


def demo_folder() -> Path:
    """The bundled demonstration corpus."""
    return Path(__file__).parent / "demo"

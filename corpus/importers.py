"""Importers for YAML, JSON and CSV files and folders of them.

Every entry passes `entry_from_mapping`; a refused one is reported with its
file, entry and field while the others go in. Importing an id that is already
stored updates it (or leaves it alone when nothing changed). Re-running an
interrupted import finishes it: each entry is written atomically on its own (in
batches that share one flush to disk).
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
BATCH = 500  # entries stored with one flush to disk (corpus.atomic.write_many_atomic)
MAX_NESTING = 20  # YAML/JSON collections inside each other (libyaml's loader crashes on ~10^5)
MAX_ALIAS_NODES = 100_000  # values YAML aliases may add when expanded (billion laughs)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


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
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.refused)} refused"
        )


class FileRefused(Exception):
    """A whole file could not be read (encoding, syntax, size, shape)."""


class _ImportLoader(FAST_SAFE_LOADER):
    """The safe loader, but an impossible date (2015-13-45) stays text for validation to name."""


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_ImportLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Refusal]]:
    """Expand folders recursively into importable files; unknown paths are refusals."""
    files: list[Path] = []
    refused: list[Refusal] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
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
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise FileRefused(
                    f"not valid {encoding.upper()} text despite its byte order mark"
                ) from None
    if b"\x00" in raw[:8192]:
        raise FileRefused("binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and import again"
        ) from None


def read_records(path: Path) -> Iterator[Any]:
    """The raw records of one file, before validation."""
    kind = SUFFIXES[path.suffix.lower()]
    text = _decode(path)
    if kind == "csv":
        yield from _csv_records(text)
        return
    try:
        if kind == "json":
            data = json.loads(text)
        else:
            check_yaml_shape(text)
            data = list(yaml.load_all(text, Loader=_ImportLoader))
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FileRefused(f"not valid {kind.upper()}: {exc}") from None
    except (ValueError, TypeError) as exc:  # e.g. an integer of 5,000 digits
        raise FileRefused(f"unreadable {kind.upper()} value: {exc}") from None
    except RecursionError:
        raise FileRefused("nested too deeply to read") from None
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


def check_yaml_shape(text: str) -> None:
    """Refuse, before building anything, YAML nested too deeply or whose aliases expand hugely.

    Reads libyaml's event stream (flat, no recursion): a stack of node counts
    gives each anchor's expanded size, so `*alias` adds what it would expand to.
    """
    sizes: dict[str, int] = {}
    stack: list[list] = [[0, None]]
    events = 0
    for event in yaml.parse(text, Loader=FAST_SAFE_LOADER):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            events += 1
            stack.append([1, event.anchor])
            if len(stack) - 1 > MAX_NESTING:
                raise FileRefused(
                    f"line {event.start_mark.line + 1}: nested more than {MAX_NESTING} levels deep"
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            count, anchor = stack.pop()
            if anchor:
                sizes[anchor] = count
            stack[-1][0] += count
        elif isinstance(event, yaml.ScalarEvent):
            events += 1
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][0] += 1
        elif isinstance(event, yaml.AliasEvent):
            stack[-1][0] += sizes.get(event.anchor, 1)
            if sum(level[0] for level in stack) - events > MAX_ALIAS_NODES:
                raise FileRefused(
                    f"line {event.start_mark.line + 1}: aliases expand to more than "
                    f"{MAX_ALIAS_NODES} values (an alias bomb?)"
                )


def _csv_records(text: str) -> Iterator[dict[str, Any]]:
    # Let an oversized cell reach validation, which names its field, instead of
    # failing the rest of the file at csv's default 128 KB limit.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        header = reader.fieldnames
    except csv.Error as exc:  # e.g. a lone carriage return inside the header
        raise FileRefused(f"line 1: {exc}") from None
    if not header or "id" not in [f.strip() for f in header if f]:
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


def import_paths(
    store: CorpusStore,
    paths: Iterable[Path],
    *,
    defaults: dict[str, Any] | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import every entry of `paths` into `store`; one bad entry or file never stops the rest."""
    files, refused = find_files(paths)
    report = ImportReport(refused=refused)
    seen: dict[str, str] = {}
    batch: list[Entry] = []
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
                except (RecursionError, ValueError, TypeError) as exc:  # hostile shapes
                    report.refused.append(Refusal(str(path), label, "", f"unreadable entry: {exc}"))
                    continue
                if entry.id in seen:
                    report.refused.append(
                        Refusal(
                            str(path),
                            label,
                            "id",
                            f"duplicate id in this import (first in {seen[entry.id]})",
                        )
                    )
                    continue
                seen[entry.id] = str(path)
                batch.append(entry)
                if len(batch) >= BATCH:
                    _store_batch(store, batch, report)
        except FileRefused as exc:
            where = f"after entry #{position}: " if position else ""
            report.refused.append(Refusal(str(path), "", "", where + str(exc)))
        except OSError as exc:
            report.refused.append(Refusal(str(path), "", "", f"cannot read: {exc.strerror or exc}"))
        finally:
            _store_batch(
                store, batch, report
            )  # what a file gave before it was refused still goes in
    return report


def _store(store: CorpusStore, entry: Entry, report: ImportReport) -> None:
    _, previous = store.put(entry)
    _count(entry, previous, report)


def _store_batch(store: CorpusStore, batch: list[Entry], report: ImportReport) -> None:
    """Store a batch with one flush to disk (store.put_many), then empty it."""
    if not batch:
        return
    for entry, previous in zip(batch, store.put_many(batch), strict=True):
        _count(entry, previous, report)
    batch.clear()


def _count(entry: Entry, previous: Entry | None, report: ImportReport) -> None:
    if previous is None:
        report.added.append(entry.id)
    elif previous.to_mapping() == entry.to_mapping():
        report.unchanged.append(entry.id)
    else:
        report.updated.append(entry.id)


def demo_folder() -> Path:
    """The bundled demonstration corpus."""
    return Path(__file__).parent / "demo"

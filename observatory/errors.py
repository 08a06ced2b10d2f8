"""The one vocabulary of errors. Each layer translates it once: the command line
into exit codes (1: some input refused, 2: usage), the web into 4xx JSON or pages."""

from __future__ import annotations

from dataclasses import dataclass


class ObservatoryError(Exception):
    """Base of every error the observatory raises on purpose."""


class UsageError(ObservatoryError):
    """The caller asked for something malformed (bad option, bad query parameter)."""


class EntryInvalid(ObservatoryError):
    """An entry breaks the contract; `field` names the offending key ('' for the whole entry)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class NotFound(ObservatoryError):
    """The thing asked for does not exist."""


class StaleVersion(ObservatoryError):
    """An edit was made from a version that is no longer the current one."""

    def __init__(self, entry_id: str, expected: str, current: str):
        super().__init__(f"{entry_id} changed since version {expected} (now {current})")
        self.entry_id = entry_id
        self.expected = expected
        self.current = current


class IndexMissing(ObservatoryError):
    """There is no search index yet: reads never build one, `observatory index` does."""

    def __init__(self, where: str):
        super().__init__(f"there is no search index in {where} yet: run `observatory index`")


class ConfigError(ObservatoryError):
    """A settings file or value is wrong; the message names the file and the key."""


class QueryError(UsageError):
    """A search query or filter cannot be understood."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused input item: where it came from and why, for the end-of-batch report."""

    source: str  # file path or URL
    entry: str  # entry id, or "#N" (its position) when it has no usable id
    field: str  # the offending field, or "" for the whole item
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: entry {self.entry}" if self.entry else self.source
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"

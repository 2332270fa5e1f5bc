"""The data package, opened once: :func:`open` gives a :class:`Package`, and every reader is a method of it.

A :class:`Package` reads datapackage.json and every Table Schema once into :class:`Resource`
objects, and the tables it lists are the package's tables: a resource added to the descriptor with
its schema is loaded, described by :meth:`Package.fields` and exported with no change to the code.
A resource whose ``path`` is a list of files, one per edition (``datasets/<year>/<table>.csv``), is
split by edition.

Typed frames are cached, each under the size, modification time and inode of its files
(:func:`_stamp`), and the descriptor and schemas under theirs: every answer is checked against the
files as they are now, so an edit, or a run of ``new-edition`` or ``refresh-hashes``, is seen by
the next call in the same process. Nothing is read twice while the files stay as they are.

>>> import china_internet_trends as cit
>>> p = cit.open()
>>> p.events(2017)["rank"].tolist()
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
>>> "units" in p.tables and "events" in p.edition_tables
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from . import csvfile, descriptor, schema
from .errors import DataPackageError, NotInPackage, Problem, QueryError, Report

if TYPE_CHECKING:
    from .compare import Comparisons
    from .keywords import Keywords
    from .scoring import Scorecard

T = TypeVar("T")
Stamp = tuple[int, int, int] | None
"""A file's size, modification time (ns) and inode, or None when it cannot be seen."""


def _stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


@dataclass(frozen=True)
class Resource:
    """One table of the package as its descriptor and Table Schema define it.

    ``schema`` is the Table Schema (None when it cannot be used, and ``error`` says why); ``paths``
    are its files; ``split_by_edition`` is true for a resource whose ``path`` is a list of files."""

    name: str
    paths: tuple[str, ...]
    split_by_edition: bool
    descriptor: dict[str, Any]
    schema: dict[str, Any] | None
    error: DataPackageError | None

    @property
    def title(self) -> str | None:
        return self.descriptor.get("title")

    @property
    def description(self) -> str | None:
        return self.descriptor.get("description")

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.schema["fields"]] if self.schema else []

    def usable(self) -> dict[str, Any]:
        """The Table Schema; raises the error that keeps it from being used."""
        if self.error is not None:
            raise self.error
        assert self.schema is not None
        return self.schema


def open(path: str | Path | None = None) -> Package:  # noqa: A001 - the name users know, as in frictionless and PUDL
    """The data package at ``path`` (a datapackage.json or its folder), or the shipped one, read-only.

    Opening never raises on bad data: a descriptor or schema that cannot be used raises when a
    table is read, and :meth:`Package.validate` reports it.

    >>> open().tables[:3]
    ['editions', 'publications', 'sources']
    """
    return Package(path)


_OPENED: dict[Path, Package] = {}


def opened(path: str | Path | None = None) -> Package:
    """The package the module-level functions (``cit.events(2017, path=...)``) answer from: one
    :class:`Package` per descriptor, kept for the process (it checks its files on every call)."""
    where = descriptor.find_descriptor(path)
    if where not in _OPENED:
        _OPENED[where] = Package(where)
    return _OPENED[where]


class Package:
    """One data package: its descriptor, its Table Schemas, its editions and typed tables.

    Readers: :meth:`load` (any table by name) and one method per table of the standard package
    (:meth:`events`, :meth:`indicators`…); :meth:`fields`, :meth:`coverage`, :meth:`figures`,
    :meth:`series`, :meth:`scorecard`, :attr:`compare`, :attr:`keywords`, :meth:`validate`.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = descriptor.find_descriptor(path)
        self.root = self.path.parent
        self.read_only = self.path.resolve().is_relative_to(descriptor.LIBRARY_FOLDER)
        self._stamps: tuple[Stamp, ...] | None = None
        self._watched: list[str] = []  # datapackage.json and the schema files: a change re-reads them all
        self._derived: dict[str, tuple[tuple, Any]] = {}  # each answer of _derive() and the stamps it was computed at
        self._descriptor: dict[str, Any] = {}
        self._error: DataPackageError | None = None
        self._resources: dict[str, Resource] = {}
        self._frames: dict[str, tuple[tuple[Stamp, ...], pd.DataFrame]] = {}

    def __repr__(self) -> str:
        where = "the shipped package" if self.read_only else str(self.root)
        try:
            tables = f"{len(self.tables)} tables"
        except DataPackageError:
            tables = "a descriptor that cannot be read"
        return f"<china_internet_trends.Package {where}: {tables}>"

    # ------------------------------------------------------------------------------------------
    # The descriptor and the Table Schemas, read again only when their files change

    def _current(self) -> tuple[Stamp, ...]:
        return tuple(map(_stamp, self._watched))

    def _fresh(self) -> None:
        """Read the descriptor and schemas again if a file of theirs changed, then raise what keeps the package from being read."""
        if self._stamps is None or self._current() != self._stamps:
            self._read()
        if self._error is not None:
            raise self._error

    def _read(self) -> None:
        self._frames.clear()
        self._resources, self._error = {}, None
        try:
            self._descriptor = descriptor.read_descriptor(self.path)
            descriptor.refuse(descriptor.package_problems(self._descriptor))
        except DataPackageError as exc:
            self._descriptor, self._error = {}, exc
        for res in self._descriptor.get("resources", []):
            self._resources[res["name"]] = self._resource(res)
        schemas = [res["schema"] for res in self._descriptor.get("resources", [])
                   if isinstance(res.get("schema"), str) and descriptor.unsafe_path_reason(res["schema"]) is None]
        self._watched = [str(self.path), *(os.path.join(self.root, rel) for rel in schemas)]
        self._stamps = self._current()

    def _resource(self, res: dict[str, Any]) -> Resource:
        paths = tuple(descriptor.resource_paths(res))
        try:
            descriptor.refuse(descriptor.resource_problems(res))
            table_schema, error = descriptor.table_schema(self.path, res), None
        except DataPackageError as exc:
            table_schema, error = None, exc
        return Resource(res["name"], paths, isinstance(res.get("path"), list), res, table_schema, error)

    @property
    def descriptor(self) -> dict[str, Any]:
        """datapackage.json as read (do not change it: writers go through :mod:`~china_internet_trends.writing`)."""
        self._fresh()
        return self._descriptor

    @property
    def tables(self) -> list[str]:
        """The name of every table, in the descriptor's order."""
        self._fresh()
        return list(self._resources)

    @property
    def edition_tables(self) -> list[str]:
        """The tables split by edition (a file per edition)."""
        self._fresh()
        return [name for name, res in self._resources.items() if res.split_by_edition]

    def resource(self, name: str) -> Resource:
        """The table ``name``; :class:`~china_internet_trends.errors.NotInPackage` if the package has none."""
        if not isinstance(name, str):
            raise TypeError(f"a table is named by text, such as 'events'; got {name!r} ({type(name).__name__})")
        self._fresh()
        if name not in self._resources:
            raise NotInPackage(f"the package has no table {name!r}; it has {', '.join(self._resources)}", what="table")
        return self._resources[name]

    def schema(self, name: str) -> dict[str, Any]:
        """The Table Schema of table ``name``."""
        return self.resource(name).usable()

    # ------------------------------------------------------------------------------------------
    # Tables

    def load(self, name: str, edition: int | Iterable[int] | None = None) -> pd.DataFrame:
        """Any table by name, optionally only the rows of one or more editions.

        Raises :class:`~china_internet_trends.errors.DataPackageError` when its files do not match
        their schema (the error's ``report`` lists every problem), ``TypeError`` for an edition that
        is not a whole number and :class:`~china_internet_trends.errors.NotInPackage` for a table
        or an edition the package does not have.

        >>> float(open().load("units").set_index("unit").loc["万户", "scale"])
        10000.0
        """
        frame = self._frame(name)
        if edition is None:
            return frame.copy()
        if "edition" not in frame:
            raise QueryError(f"the {name} table is not split by edition; call it without an edition")
        from .holdings import check_editions

        return frame[frame["edition"].isin(check_editions(self, edition))].reset_index(drop=True)

    def _frame(self, name: str) -> pd.DataFrame:
        res = self.resource(name)
        table_schema = res.usable()
        stamps = tuple(_stamp(os.path.join(self.root, rel)) for rel in res.paths)
        cached = self._frames.get(name)
        if cached is not None and cached[0] == stamps:
            return cached[1]
        typed = read_typed(self.path, res.descriptor, table_schema)
        if typed.problems:
            raise DataPackageError(Report(typed.problems))
        self._frames[name] = (stamps, typed.frame)
        return typed.frame

    def _derive(self, answer: str, tables: Iterable[str], compute: Callable[[], T]) -> T:
        """``compute()``, an answer derived from ``tables``, computed again only when the descriptor, a
        schema or a file of those tables changed (the answer is shared: callers copy what they give out)."""
        tables = tuple(tables)
        for name in tables:
            self._frame(name)
        state = (self._stamps, *(self._frames[name][0] for name in tables))
        cached = self._derived.get(answer)
        if cached is None or cached[0] != state:
            cached = self._derived[answer] = (state, compute())
        return cached[1]

    def editions(self) -> pd.DataFrame:
        """One row per edition registered, with its coverage (see :meth:`coverage` for what is held)."""
        return self.load("editions")

    def sources(self) -> pd.DataFrame:
        """Every source cited by the package, with its reliability."""
        return self.load("sources")

    def themes(self) -> pd.DataFrame:
        """The themes codebook with its coding rules."""
        return self.load("themes")

    def hedges(self) -> pd.DataFrame:
        """Each hedge word as printed (将, 预计, 有望, 或将…), its certainty level and how claim_en renders it."""
        return self.load("hedges")

    def glossary(self) -> pd.DataFrame:
        """How recurring Chinese terms are rendered in English (validate checks the English against it)."""
        return self.load("glossary")

    def units(self) -> pd.DataFrame:
        """Every unit as printed, with scale and base unit."""
        return self.load("units")

    def entities(self) -> pd.DataFrame:
        """Who figures are about: China, companies, regions, organisations."""
        return self.load("entities")

    def observations(self) -> pd.DataFrame:
        """Later official statistics that follow the editions' series."""
        return self.load("observations")

    def series_table(self) -> pd.DataFrame:
        """The canonical series; :meth:`series` gives one series' points across editions and observations."""
        return self.load("series")

    def sections(self, edition: int | Iterable[int] | None = None) -> pd.DataFrame:
        """The outline of the review and the trends outlook."""
        return self.load("sections", edition)

    def events(self, edition: int | Iterable[int] | None = None) -> pd.DataFrame:
        """The ten events of each edition, ordered by edition and rank."""
        return self.load("events", edition).sort_values(["edition", "rank", "event_id"]).reset_index(drop=True)

    def milestones(self, edition: int | Iterable[int] | None = None, *, with_span: bool = False) -> pd.DataFrame:
        """Dated facts reported inside events and sections.

        A milestone's ``date`` is the first day of the period its ``date_precision`` names (a day,
        a month, a quarter or a year). ``with_span=True`` adds ``date_start`` and ``date_end``, the
        first and last day of that period, so that a fact known only to the month or the year is
        drawn as the span it is, not as its first day.

        >>> row = open().milestones(2017, with_span=True).set_index("milestone_id").loc["2017-M001"]
        >>> row["date_precision"], f"{row['date_start']:%Y-%m-%d}", f"{row['date_end']:%Y-%m-%d}"
        ('year', '2017-01-01', '2017-12-31')
        """
        frame = self.load("milestones", edition)
        return _with_span(frame) if with_span else frame

    def indicators(self, edition: int | Iterable[int] | None = None, *, with_base: bool = False) -> pd.DataFrame:
        """Every figure stated, value and unit as printed; ``with_base=True`` adds base_value and base_unit
        (from the units table)."""
        frame = self.load("indicators", edition)
        if not with_base:
            return frame
        from .conversion import with_base_values

        return with_base_values(frame, self.units())

    def forecasts(self, edition: int | Iterable[int] | None = None) -> pd.DataFrame:
        """Statements about the future made by each edition."""
        return self.load("forecasts", edition)

    def outcomes(self, edition: int | Iterable[int] | None = None) -> pd.DataFrame:
        """Judgements of forecasts, each with its evidence and source."""
        return self.load("outcomes", edition)

    # ------------------------------------------------------------------------------------------
    # What the package holds, the column dictionary, analyses

    def editions_held(self) -> list[int]:
        """Every edition of the package, in order: registered in ``editions``, or with a file listed in the descriptor
        (computed again only when the descriptor, a schema or the editions table changed)."""
        from .holdings import editions_in_package

        return list(self._derive("editions_held", ("editions",), lambda: editions_in_package(self)))

    def coverage(self, editions: Iterable[int] | None = None) -> pd.DataFrame:
        """What the package holds of each edition, in numbers and words (:func:`~china_internet_trends.holdings.coverage`)."""
        from .holdings import COUNTED, check_editions, coverage

        every = self._derive("coverage", ("editions", *COUNTED), lambda: coverage(self))
        if editions is None:
            return every.copy()
        return every.set_index("edition").loc[check_editions(self, editions)].reset_index()

    def fields(self, table: str | None = None) -> pd.DataFrame:
        """The column dictionary: one row per column of every table, or of ``table`` (:mod:`~china_internet_trends.dictionary`)."""
        from .dictionary import dictionary_frame

        names = self.tables if table is None else [self.resource(table).name]
        return dictionary_frame({name: self.schema(name) for name in names})

    def figures(self) -> pd.DataFrame:
        """Every figure and observation in one tidy table, in base units (:func:`~china_internet_trends.tracking.figures`);
        :meth:`series` takes its rows from it."""
        from .tracking import TABLES, figures

        return self._derive("figures", TABLES, lambda: figures(self)).copy()

    def series(self, series_id: str) -> pd.DataFrame:
        """Every edition figure and observation of one series, in base units (:func:`~china_internet_trends.tracking.series`)."""
        from .tracking import series

        return series(self, series_id)

    def catalogue(self) -> pd.DataFrame:
        """Every series with its names, base unit and number of points."""
        from .tracking import catalogue

        return catalogue(self)

    def scorecard(self, edition: int) -> Scorecard:
        """The edition's forecasts with their latest verdicts, counts and calibration (:mod:`~china_internet_trends.scoring`)."""
        from .scoring import scorecard

        return scorecard(self, edition)

    @cached_property
    def compare(self) -> Comparisons:
        """Comparisons of editions: ``p.compare.events(2016, 2017)`` (:mod:`~china_internet_trends.compare`)."""
        from .compare import Comparisons

        return Comparisons(self)

    @cached_property
    def keywords(self) -> Keywords:
        """Term counts in ISC's printed words: ``p.keywords.trend(["5G"])`` (:mod:`~china_internet_trends.keywords`)."""
        from .keywords import Keywords

        return Keywords(self)

    def validate(self, *, frictionless: bool = False, max_problems: int | None = None) -> Report:
        """Every problem of the package (:mod:`~china_internet_trends.validation`); never raises on bad data."""
        from .validation import validate

        return validate(self.path, frictionless=frictionless, max_problems=max_problems)


@dataclass(frozen=True)
class Typed:
    """A table typed by its schema, where each row came from, each part's record count, and the
    values that did not convert. The raw text is not kept, so a table is held once."""

    frame: pd.DataFrame
    origins: csvfile.Origins
    part_sizes: dict[str, int]
    problems: list[Problem]


def read_typed(descriptor_path: Path, res: dict[str, Any], table_schema: dict[str, Any]) -> Typed:
    """The resource ``res`` read and typed by ``table_schema``, uncached: a :class:`Package` caches
    the frame, validation keeps only what its rules read.

    >>> p = open()
    >>> typed = read_typed(p.path, p.resource("themes").descriptor, p.schema("themes"))
    >>> typed.problems, len(typed.frame) == len(typed.origins)
    ([], True)
    """
    raw = csvfile.read_raw(descriptor_path, res, table_schema)
    frame, problems = schema.coerce(raw.text, table_schema, raw.origins)
    problems = schema.header_problems(raw.header, table_schema, descriptor.resource_paths(res)[0]) + problems
    return Typed(frame, raw.origins, raw.part_sizes, problems)


PERIODS = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}
"""Each ``date_precision`` and the pandas period it names."""


def _with_span(frame: pd.DataFrame) -> pd.DataFrame:
    """Milestones with ``date_start`` and ``date_end``: the first and last day of the period each date names."""
    periods = frame["date_precision"].map(PERIODS)
    frame["date_start"] = frame["date"]
    frame["date_end"] = frame["date"]
    for alias in PERIODS.values():
        rows = (periods == alias).to_numpy(dtype=bool)
        period = frame.loc[rows, "date"].dt.to_period(alias)
        frame.loc[rows, "date_start"] = period.dt.start_time.dt.normalize().astype("datetime64[ns]")
        frame.loc[rows, "date_end"] = period.dt.end_time.dt.normalize().astype("datetime64[ns]")
    return frame

"""From bytes or a path to a validated programme, or to every problem found, each located.

The size limit is checked before anything is parsed; the format is chosen by the file's suffix
(``.yaml``/``.yml`` or ``.xlsx``). Typed validation reports every field problem; the checks
across records (:mod:`bot.programme.checks`) then run on a file that passed it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.programme.checks import ResourceFile, check, partial_document
from bot.programme.problems import Loc, Problem, field_label, from_pydantic
from bot.programme.schema import ProgrammeFile
from bot.programme.xlsx_io import XlsxDocument, parse_xlsx
from bot.programme.yaml_io import YamlDocument, parse_yaml

#: Largest programme file accepted, checked before parsing (the demo is about 0.1 MB).
MAX_FILE_MB = 5
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx",)


@dataclass
class LoadedProgramme:
    """A programme file that passed every check, with its resource files read."""

    document: ProgrammeFile
    files: dict[str, ResourceFile] = field(default_factory=dict)
    source: str = ""


@dataclass
class LoadResult:
    programme: LoadedProgramme | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.programme is not None


def _fail(name: str, code: str, **params: Any) -> LoadResult:
    return LoadResult(None, [Problem(code, {k: str(v) for k, v in params.items()}, file=name)])


def load_path(path: Path) -> LoadResult:
    """Load a file; resource files are looked up beside it."""
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
            return _fail(name, "file_too_large", limit=MAX_FILE_MB)
        content = path.read_bytes()
    except OSError:
        return _fail(name, "file_missing", path=str(path))
    return load_bytes(content, name, base_dir=path.parent)


def load_bytes(
    content: bytes,
    filename: str,
    base_dir: Path | None = None,
    stored_files: Mapping[str, ResourceFile] | None = None,
) -> LoadResult:
    """Load a file's bytes; ``base_dir`` is where resource files are. Without it (a file sent to
    the bot) a ``file:`` reference may only name a file the database already holds for that
    resource: ``stored_files`` (resource key -> file)."""
    if len(content) > MAX_FILE_MB * 1024 * 1024:
        return _fail(filename, "file_too_large", limit=MAX_FILE_MB)
    suffix = Path(filename).suffix.lower()
    if suffix not in YAML_SUFFIXES + XLSX_SUFFIXES:
        return _fail(filename, "unsupported_format")
    if not content.strip():
        return _fail(filename, "file_empty")
    parsed: YamlDocument | XlsxDocument | list[Problem]
    if suffix in XLSX_SUFFIXES:
        parsed = parse_xlsx(content)
    else:
        try:
            parsed = parse_yaml(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return _fail(filename, "not_utf8")
    if isinstance(parsed, list):
        return LoadResult(None, [dataclasses.replace(p, file=filename) for p in parsed])
    problems, programme = _validate(parsed.data, base_dir, stored_files)
    if isinstance(parsed, XlsxDocument):
        problems = parsed.problems + problems
    if problems:
        located = sorted((_locate(p, parsed, filename) for p in problems), key=_order)
        return LoadResult(None, located)
    assert programme is not None
    programme.source = filename
    return LoadResult(programme, [])


def _validate(
    data: Any, base_dir: Path | None, stored: Mapping[str, ResourceFile] | None
) -> tuple[list[Problem], LoadedProgramme | None]:
    if not isinstance(data, dict):
        return [Problem("expected_mapping")], None
    try:
        document = ProgrammeFile.model_validate(data)
    except ValidationError as exc:
        typed = [from_pydantic(e) for e in exc.errors()]
        partial, invalid = partial_document(data)
        across, _ = check(partial, base_dir, invalid, stored)
        return typed + across, None
    problems, files = check(document, base_dir, stored=stored)
    return problems, LoadedProgramme(document, files)


def _key_at(data: Any, loc: Loc) -> str | None:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = data.get("key") if isinstance(data, dict) else None
    return str(key) if key is not None else None


def _locate(problem: Problem, parsed: YamlDocument | XlsxDocument, filename: str) -> Problem:
    if problem.sheet is not None or problem.line is not None:  # located while parsing
        return dataclasses.replace(problem, file=filename)
    label = field_label(problem.loc, lambda loc: _key_at(parsed.data, loc))
    if isinstance(parsed, YamlDocument):
        return dataclasses.replace(
            problem, file=filename, line=parsed.line_of(problem.loc), field=label
        )
    sheet, row, column = parsed.place_of(problem.loc)
    return dataclasses.replace(
        problem, file=filename, sheet=sheet, row=row, column=column, field=label
    )


def _order(problem: Problem) -> tuple[Any, ...]:
    return (problem.line or 0, problem.sheet or "", problem.row or 0, problem.field)

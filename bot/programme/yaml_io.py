"""Reading and writing the YAML form of the programme file, with the line of every value.

The loader resolves plain scalars as YAML 1.2's core schema does (``true``/``false`` only, decimal
numbers, no timestamps, no sexagesimal ``9:00`` = 540, no ``no`` = False), so that times and dates
reach the typed models as the text the coordinator wrote. The composed node tree is kept to map
a problem's location (``("events", 3, "end")``) back to its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.programme.problems import Loc, Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema resolution of plain scalars."""


_DROPPED = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Loader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node))
)


@dataclass
class YamlDocument:
    data: Any
    root: Node

    def line_of(self, loc: Loc) -> int:
        """The 1-based line of the deepest node on ``loc`` (a missing key: its parent mapping)."""
        node = self.root
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


def _child(node: Node, part: str | int) -> Node | None:
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(part):
                # an unknown key is reported at the key itself, so point at the key's line
                return value if not isinstance(value, ScalarNode) or value.value else key
    return None


#: Most values a YAML file may hold once its aliases are expanded (guards against alias bombs).
MAX_EXPANDED_NODES = 200_000


def _structure_problems(root: Node) -> list[Problem]:
    """Alias bombs (too many values once expanded) and keys given twice in one mapping (which
    PyYAML would silently resolve to the last)."""
    problems: list[Problem] = []
    sizes: dict[int, int] = {}

    def walk(node: Node) -> int:
        if id(node) in sizes:  # an alias: counted again, checked once
            return sizes[id(node)]
        sizes[id(node)] = 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(walk(child) for child in node.value)
        elif isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        problems.append(
                            Problem(
                                "duplicate_field", line=key.start_mark.line + 1, field=key.value
                            )
                        )
                    keys.add(key.value)
                size += walk(value)
        sizes[id(node)] = min(size, MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    if walk(root) > MAX_EXPANDED_NODES:
        problems.append(Problem("yaml_too_large", {"limit": str(MAX_EXPANDED_NODES)}, line=1))
    return problems


def _syntax(exc: yaml.YAMLError, text: str) -> Problem:
    """A YAML error as a problem the catalogs word (the parser's own words are English, and no
    help to a coordinator reading Ukrainian or Slovenian): its kind and line."""
    if isinstance(exc, yaml.reader.ReaderError):
        return Problem("yaml_character", line=text.count("\n", 0, exc.position) + 1)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem("yaml_syntax")
    problem = exc.problem or ""
    if "'\\t'" in problem:
        code, mark = "yaml_tab", exc.problem_mark
    elif "end of stream" in problem or "<stream end>" in problem:
        # The file ended inside a quotation or brackets: the line where they open.
        code, mark = "yaml_unclosed", exc.context_mark or exc.problem_mark
    else:
        code, mark = "yaml_syntax", exc.problem_mark or exc.context_mark
    return Problem(code, line=mark.line + 1 if mark else None)


def parse_yaml(text: str) -> YamlDocument | list[Problem]:
    """The document, or the problems that keep it from being read (empty, syntax, size)."""
    try:
        loader = _Loader(text)  # refuses non-printable characters at once (a ReaderError)
    except yaml.YAMLError as exc:
        return [_syntax(exc, text)]
    try:
        root = loader.get_single_node()
        if root is None:
            return [Problem("file_empty")]
        problems = _structure_problems(root)
        if problems:
            return problems
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        return [_syntax(exc, text)]
    finally:
        loader.dispose()
    return YamlDocument(data, root)


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """The document as YAML that :func:`parse_yaml` reads back to the same data."""
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return header + text


class _Dumper(yaml.SafeDumper):
    """SafeDumper (which quotes anything a YAML 1.1 reader could take for a non-string), writing
    texts of several lines as blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)

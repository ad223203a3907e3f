"""Rule set files as text: safe YAML with the line and column of every key and of every
duplicate key, the JSON Schema, and :class:`Problem` (one thing wrong at ``file:line:column``).

PyYAML is imported inside the functions that parse: a rule set read from the cache
(fzcheck.perf.cache) needs none of it."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable

from fzcheck.errors import RuleSetError

if TYPE_CHECKING:  # pragma: no cover
    import yaml

# Called with (path, text) for every file a loader reads: how fzcheck.perf.cache learns
# which files an entry depends on.
ReadRecorder = Callable[[str, str], None]


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("fzcheck.rules").joinpath("ruleset.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass
class Problem:
    """One thing wrong in a rule set file, with the line and column of the key at fault."""

    file: str
    line: int | None
    column: int | None
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def error(self) -> RuleSetError:
        return RuleSetError(self.message, self.where)


class Source:
    """A parsed YAML file: the data, and the node tree that knows every line and column."""

    def __init__(self, path: str, data: Any, node: yaml.Node | None):
        self.path = path
        self.data = data
        self.node = node

    def locate(self, jpath: list[Any]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the key (or list item) a JSON path names; the
        deepest part of the path that exists when the rest does not."""
        node = self.node
        if node is None:
            return None, None
        import yaml

        mark = node.start_mark
        for part in jpath:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        mark, node = key.start_mark, value
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1

    def problem(self, jpath: list[Any], message: str) -> Problem:
        line, column = self.locate(jpath)
        return Problem(self.path, line, column, message)

    def duplicate_keys(self) -> list[Problem]:
        """Keys written twice in one mapping (YAML keeps the last one silently)."""
        import yaml

        out: list[Problem] = []
        seen_nodes: set[int] = set()

        def walk(node: yaml.Node) -> None:
            if id(node) in seen_nodes:
                return
            seen_nodes.add(id(node))
            if isinstance(node, yaml.MappingNode):
                keys: set[str] = set()
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        if key.value in keys and key.value != "<<":
                            out.append(Problem(self.path, key.start_mark.line + 1, key.start_mark.column + 1,
                                               f"key '{key.value}' is written twice in this mapping"))
                        keys.add(key.value)
                    walk(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    walk(item)

        if self.node is not None:
            walk(self.node)
        return out


def read_text(path: str, what: str = "rule set", record: ReadRecorder | None = None) -> str:
    """The text of a rule set (or waivers, configuration) file; ``record(path, text)`` is told."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
            if record is not None:
                record(path, text)
            return text
    except FileNotFoundError:
        raise RuleSetError(f"no such {what} file", path) from None
    except IsADirectoryError:
        raise RuleSetError(f"is a folder, not a {what} file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError(f"cannot read the {what}: {exc}", path) from None


def parse_yaml(path: str, what: str = "rule set", record: ReadRecorder | None = None) -> Source:
    """Read a YAML file with the safe loader; a syntax error is reported at its line and column."""
    import yaml

    text = read_text(path, what, record)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path) from None
    finally:
        loader.dispose()
    return Source(path, data, node)


_OPENED = {"flow sequence": "the '[' opened here is not closed",
           "flow mapping": "the '{' opened here is not closed",
           "quoted scalar": "the quote opened here is not closed"}


def yaml_error(exc: Exception, path: str) -> RuleSetError:
    """A YAML syntax error at the line where the trouble began: an unclosed bracket or
    quote is reported where it was opened (and where parsing stopped), not only at the end."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    stop = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    what = next((v for k, v in _OPENED.items() if k in context), None)
    if what and start is not None and (stop is None or start.line < stop.line):
        stopped = f" (parsing stopped at line {stop.line + 1}:{stop.column + 1}: {problem})" if stop else ""
        return RuleSetError(f"invalid YAML: {what}{stopped}", f"{path}:{start.line + 1}:{start.column + 1}")
    mark = stop or start
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
    return RuleSetError(f"invalid YAML: {problem}", where)


def read_yaml(path: str) -> Any:
    """The data of a YAML file read with the safe loader (used for waivers and configuration too)."""
    return parse_yaml(path).data

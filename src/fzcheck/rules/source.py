"""Rule set files as text: safe YAML with the line and column of every key and of every
duplicate key, the JSON Schema, and :class:`Problem` (one thing wrong at ``file:line:column``).

PyYAML is imported inside the functions that parse: a rule set read from the cache
(fzcheck.perf.cache) needs none of it."""
from __future__ import annotations

import functools
import os
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from fzcheck.errors import RuleSetError

if TYPE_CHECKING:  # pragma: no cover
    import yaml

# Configuration, rule-set and waiver files (YAML/TOML): read only when regular and this small.
MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_NESTING = 64  # nesting of YAML/TOML values
MAX_YAML_NODES = 200_000  # values of a YAML file once its aliases are expanded

# Called with (path, text) for every file a loader reads: how fzcheck.perf.cache learns
# which files an entry depends on.
ReadRecorder = Callable[[str, str], None]


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ruleset.schema.json"), encoding="utf-8") as fh:
        text = fh.read()
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
    """The text of a rule set (or waivers, configuration) file; ``record(path, text)`` is told.
    Only a regular file of at most MAX_CONFIG_BYTES is read (never a FIFO or /dev/zero)."""
    import os
    import stat

    from fzcheck.i18n import msg

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(st.st_mode):
                raise RuleSetError(msg("cfg.not_regular"), path)
            raw = fh.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise RuleSetError(msg("cfg.too_large", mb=MAX_CONFIG_BYTES >> 20, what=what), path)
        text = raw.decode("utf-8-sig")
        if record is not None:
            record(path, text)
        return text
    except FileNotFoundError:
        raise RuleSetError(f"no such {what} file", path) from None
    except IsADirectoryError:
        raise RuleSetError(f"is a folder, not a {what} file", path) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RuleSetError(f"cannot read the {what}: {exc}", path) from None


def _safe_loader():
    """The safe loader, with nesting, alias expansion and numbers bounded before any work."""
    import math

    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            try:
                if self.depth > MAX_NESTING:
                    from fzcheck.i18n import msg

                    raise yaml.composer.ComposerError(None, None, msg("cfg.too_deep", n=MAX_NESTING),
                                                      self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_yaml_float(self, node):
            value = super().construct_yaml_float(node)
            if not math.isfinite(value):
                from fzcheck.i18n import msg

                raise yaml.constructor.ConstructorError(None, None, msg("cfg.bad_number", value=node.value),
                                                        node.start_mark)
            return value

        def construct_yaml_int(self, node):
            if len(node.value) > 60:
                from fzcheck.i18n import msg

                raise yaml.constructor.ConstructorError(None, None, msg("cfg.long_number", value=node.value[:20] + "…"),
                                                        node.start_mark)
            return super().construct_yaml_int(node)

    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    return Loader


def _expanded_size(node, limit: int) -> int:
    """How many values the node tree holds once every alias is expanded (stops past limit)."""
    import yaml

    memo: dict[int, int] = {}

    def size(n) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        memo[key] = limit + 1  # a cycle counts as too large
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for item in n.value:
                total += size(item)
                if total > limit:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        memo[key] = total
        return total

    return size(node)


def parse_yaml(path: str, what: str = "rule set", record: ReadRecorder | None = None) -> Source:
    """Read a YAML file with the safe loader; a syntax error is reported at its line and column."""
    import yaml

    text = read_text(path, what, record)
    loader = None
    try:
        loader = _safe_loader()(text)  # a NUL or control character is a YAML error here too
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            from fzcheck.i18n import msg

            raise RuleSetError(msg("cfg.aliases", n=MAX_YAML_NODES), path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path) from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting the checks missed
        raise RuleSetError(f"invalid YAML: {type(exc).__name__}", path) from None
    finally:
        if loader is not None:
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

"""Configuration: ``fzcheck.yaml`` / ``.fzcheck.yaml`` or ``[tool.fzcheck]`` in pyproject.toml.

Found by walking up from the current folder (the nearest folder with one of them wins; in
one folder ``fzcheck.yaml`` before ``.fzcheck.yaml`` before ``pyproject.toml``), or given
with ``--config FILE``. Keys: rules, profile, threshold, waivers, format, lang. Paths
(rules, waivers) are relative to the configuration file. Command-line options win over the
file, the file over the defaults.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from fzcheck.errors import FzError
from fzcheck.model import Record

if TYPE_CHECKING:  # pathlib only when a configuration file is read (not on every run)
    from pathlib import Path

CONFIG_NAMES = ("fzcheck.yaml", ".fzcheck.yaml")
KEYS = ("rules", "profile", "threshold", "waivers", "format", "lang")
DEFAULTS: dict[str, Any] = {"rules": "annual-report", "profile": None, "threshold": None, "waivers": None,
                            "format": "text", "lang": "zh"}
# check's parameter name -> configuration key
PARAMS = {"rules": "rules", "profile": "profile", "fail_under": "threshold", "waivers": "waivers",
          "fmt": "format", "lang": "lang"}
DEFAULT = "default"
COMMAND_LINE = "command line"


class ConfigError(FzError):
    """A configuration file that cannot be read or has a wrong key or value."""


class Setting(Record):
    __slots__ = _fields = ("value", "source")

    def __init__(self, value: Any, source: str):
        self.value = value
        self.source = source  # "default", "command line", or the configuration file's path


def _load_toml(path: str | Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from fzcheck.errors import RuleSetError
    from fzcheck.rules.source import read_text

    try:
        text = read_text(str(path), "configuration")  # a regular file, not too large
        return tomllib.loads(text)
    except RuleSetError as exc:
        raise ConfigError(exc.message, str(path)) from None
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ConfigError(f"cannot read pyproject.toml: {why}", str(path)) from None


def _pyproject_section(path: str | Path) -> dict[str, Any] | None:
    data = _load_toml(path)
    section = (data.get("tool") or {}).get("fzcheck")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError("[tool.fzcheck] must be a table", str(path))
    return section


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest configuration file at or above ``start`` (default: the current folder)."""
    found = _find_config(start)
    if found is None:
        return None
    from pathlib import Path

    return Path(found)


def _find_config(start: str | Path | None = None) -> str | None:
    """find_config's path as a string, found with os.path (no pathlib on every run)."""
    folder = os.path.realpath(os.fspath(start or os.getcwd()))  # as Path(…).resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject):
            try:
                if _pyproject_section(pyproject) is not None:
                    return pyproject
            except ConfigError:
                pass  # somebody else's broken pyproject.toml is not our configuration
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def read_config(path: str | Path) -> dict[str, Any]:
    """The checked key/values of a configuration file (paths made relative to it)."""
    from pathlib import Path

    path = Path(path)
    label = str(path)
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        section = _pyproject_section(path) if path.is_file() else None
        if section is None:
            if not path.is_file():
                raise ConfigError("no such configuration file", label)
            raise ConfigError("no [tool.fzcheck] table", label)
        data = section
        where = {k: label for k in data}
    else:
        from fzcheck.errors import RuleSetError
        from fzcheck.rules.source import parse_yaml

        try:
            src = parse_yaml(label, "configuration")
        except RuleSetError as exc:
            raise ConfigError(exc.message, exc.path) from None
        data = src.data if src.data is not None else {}
        if not isinstance(data, dict):
            raise ConfigError("a configuration file is a mapping of keys (" + ", ".join(KEYS) + ")", label)
        where = {}
        for k in data:
            line, col = src.locate([k])
            where[k] = f"{label}:{line}:{col}" if line else label
    out: dict[str, Any] = {}
    base = path.resolve().parent
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"unknown key '{key}' (keys: {', '.join(KEYS)})", where.get(key, label))
        out[key] = _check_value(key, value, base, where.get(key, label))
    return out


def _check_value(key: str, value: Any, base: Path, where: str) -> Any:
    from fzcheck.i18n import LANGS
    from fzcheck.render import FORMATS

    if value is None:
        return None
    if key == "threshold":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise ConfigError(f"'threshold' must be a number from 0 to 100, not {value!r}", where)
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"'{key}' must be text, not {value!r}", where)
    if key == "format" and value not in FORMATS:
        raise ConfigError(f"unknown format '{value}' (formats: {', '.join(FORMATS)})", where)
    if key == "lang" and value not in LANGS:
        raise ConfigError(f"unknown language '{value}' (languages: {', '.join(LANGS)})", where)
    if key == "waivers":
        return os.path.normpath(str(base / value))
    if key == "rules":
        candidate = base / value
        if candidate.exists() or value.endswith((".yaml", ".yml")) or "/" in value:
            return os.path.normpath(str(candidate))
    return value


def effective(cli: dict[str, Any] | None = None, config_path: str | None = None,
              start: str | Path | None = None) -> tuple[dict[str, Setting], str | None]:
    """Each setting with where it came from. ``cli`` holds the values given on the command
    line (keys as in KEYS; absent or None: not given)."""
    if config_path:
        from pathlib import Path  # given: shown as pathlib writes it

        path: str | Path | None = Path(config_path)
    else:
        path = _find_config(start)
    values = read_config(path) if path else {}
    settings = {k: Setting(v, DEFAULT) for k, v in DEFAULTS.items()}
    for key, value in values.items():
        if value is not None:
            settings[key] = Setting(value, str(path))
    for key, value in (cli or {}).items():
        if value is not None:
            settings[key] = Setting(value, COMMAND_LINE)
    return settings, str(path) if path else None


def from_click(ctx: Any, config_path: str | None = None) -> tuple[dict[str, Setting], str | None]:
    """Settings for a click command: options the user typed win over the configuration."""
    from click.core import ParameterSource

    given = {}
    for param, key in PARAMS.items():
        if param not in ctx.params:
            continue
        source = ctx.get_parameter_source(param)
        if source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None):
            given[key] = ctx.params[param]
    return effective(given, config_path)


def describe(settings: dict[str, Setting], path: str | None) -> str:
    lines = [f"configuration file: {path or '(none found)'}"]
    width = max(len(k) for k in KEYS)
    for key in KEYS:
        s = settings[key]
        value = "-" if s.value is None else (f"{s.value:g}" if isinstance(s.value, float) else str(s.value))
        lines.append(f"{key.ljust(width)}  {value}  ({s.source})")
    return "\n".join(lines) + "\n"

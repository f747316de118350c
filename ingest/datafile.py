"""Reading the corpus's YAML data files (claims, drug lexicon, lay vocabulary): one top-level list of
entries, each validated by a pydantic model; every error names the file, the entry and the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def read_list(path: Path, key: str, error: type[ValueError]) -> list[Any]:
    """The raw entries under the top-level `key`; an unreadable or misshapen file raises `error`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise error(f"{path}: expected a top-level '{key}' list")
    return data[key]


def validated(path: Path, key: str, model: type[M], error: type[ValueError]) -> Iterator[tuple[int, M]]:
    """(position, entry) for each entry of the file, validated by `model`; the first bad one raises `error`."""
    for i, raw in enumerate(read_list(path, key, error)):
        try:
            yield i, model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise error(f"{path}: {key}[{i}] field '{field}': {err['msg']}") from None

"""Resource limits for everything sgaudit reads, so no file can exhaust the machine.

A small file can ask for a great deal: an XLSX whose one cell sits at XFD1048576 makes
a reader build a billion empty cells, a 1 MB zip can hold 2 GB, 100 KB of YAML with
anchors can expand to a hundred million values, and a "file" can be a FIFO that never
ends or `/dev/zero`. Every reader checks the input against these limits first and
refuses with a message naming the limit, before the expensive work starts. The limits
are far above any real audit (a survey of 5,000 respondents by 500 questions; a long
CSV sheet of a million answers, the export of a national programme) and keep any input
under 20 MB below 1 GB of memory. A CSV file may be larger than an XLSX one: it is
plain text read as it is, so memory grows with its size and nothing in it can expand
(a million-answer long sheet, 64 MB and 8 million cells, imports in about 1.3 GB).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Any

MB = 1024 * 1024

MAX_SHEET_BYTES = 50 * MB  # an XLSX answer sheet, survey export or register
MAX_SHEET_CELLS = 2_000_000  # rows x columns of one XLSX sheet (as declared or used)
MAX_CSV_BYTES = 100 * MB  # a CSV answer sheet, survey export or register
MAX_CSV_CELLS = 9_000_000  # rows x columns of one CSV file (a million answers, 8 columns)
MAX_SHEET_ROWS = 1_048_576  # Excel's own maximum
MAX_SHEET_COLUMNS = 5_000
MAX_CELL_CHARS = 32_767  # Excel's own maximum for one cell
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 400 * MB  # everything in one zip (archive or XLSX), uncompressed
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for a member over 1 MB
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
MAX_YAML_BYTES = 2 * MB  # one question set, theme, framework or settings file
MAX_YAML_DEPTH = 64  # nesting of lists and mappings
MAX_YAML_VALUES = 200_000  # values after anchors and aliases are expanded
MAX_TEMPLATE_BYTES = 20 * MB
MAX_PEOPLE = 10_000  # head count of one interview or focus group (a database integer holds it)


class LimitExceeded(ValueError):
    """An input over one of the limits above; the message names the limit."""


def read_limited_bytes(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    A FIFO, a device such as /dev/zero, a folder or a socket is refused: reading it
    could block forever or never end.
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise LimitExceeded(f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise LimitExceeded(f"is not a regular {what} (a pipe, device or folder cannot be read)")
    if info.st_size > limit:
        raise LimitExceeded(
            f"is {info.st_size / MB:.1f} MB, over the limit of {limit / MB:.0f} MB for a {what}"
        )
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"is over the limit of {limit / MB:.0f} MB for a {what}")
    return data


def read_limited_text(path: str | Path, limit: int, what: str = "file") -> str:
    """`read_limited_bytes` decoded as UTF-8 (a UnicodeDecodeError becomes LimitExceeded)."""
    data = read_limited_bytes(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LimitExceeded(f"is not UTF-8 text (byte {exc.start})") from None


def check_zip(
    zf: zipfile.ZipFile, *, nested_allowed: bool = False, max_bytes: int = MAX_ZIP_BYTES
) -> None:
    """Refuse a zip that is encrypted, uses an unknown method, holds zips, or expands too far.

    Sizes are the ones the zip declares; Python's reader stops at the declared size
    and checks the CRC, so a member cannot hold more than it says.
    """
    members = zf.infolist()
    if len(members) > MAX_ZIP_ENTRIES:
        raise LimitExceeded(f"holds {len(members)} files, over the limit of {MAX_ZIP_ENTRIES}")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise LimitExceeded(f"is encrypted ({info.filename}); sgaudit reads only plain zips")
        if info.compress_type not in ZIP_METHODS:
            raise LimitExceeded(
                f"uses compression method {info.compress_type} for {info.filename}; "
                "only stored and deflate are read"
            )
        if not nested_allowed and info.filename.lower().endswith((".zip", ".xlsx", ".docx")):
            raise LimitExceeded(f"holds another zip ({info.filename}); nested zips are refused")
        total += info.file_size
        if total > max_bytes:
            raise LimitExceeded(
                f"expands to more than {max_bytes / MB:.0f} MB, the limit for a zip"
            )
        if info.file_size > MB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise LimitExceeded(
                f"{info.filename} expands {info.file_size // max(info.compress_size, 1)} times, "
                f"over the limit of {MAX_ZIP_RATIO} (a zip bomb?)"
            )


# ---- YAML ---------------------------------------------------------------------------------


def _yaml_loader():
    import yaml

    class LimitedSafeLoader(yaml.SafeLoader):
        """yaml.SafeLoader that refuses deep nesting before Python's recursion limit does."""

        _depth = 0

        def compose_node(self, parent, index):  # noqa: ANN001
            if self._depth >= MAX_YAML_DEPTH:
                raise yaml.YAMLError(
                    f"nested more than {MAX_YAML_DEPTH} levels deep, the limit for YAML"
                )
            self._depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return yaml, LimitedSafeLoader


def _expanded_values(root) -> int:  # noqa: ANN001
    """How many values the document holds once every alias is expanded (stops past the limit)."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:  # post-order without recursion; each distinct node sized once
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in _children(node))
            if sizes[key] > MAX_YAML_VALUES:
                return sizes[key]
            continue
        if key in sizes:
            continue
        sizes[key] = 1  # while in progress (an alias back to an ancestor counts once)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _children(node) -> list:  # noqa: ANN001
    value = node.value
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(item if isinstance(item, tuple) else (item,))
        return out
    return []


def _check_depth(yaml, text: str, loader_class) -> None:  # noqa: ANN001
    """Refuse nesting deeper than MAX_YAML_DEPTH from the parser's event stream (a flat
    loop, no recursion), at the same node `LimitedSafeLoader.compose_node` would."""
    level = 0
    node_events = (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, node_events) and level >= MAX_YAML_DEPTH:
            raise yaml.YAMLError(
                f"nested more than {MAX_YAML_DEPTH} levels deep, the limit for YAML"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            level += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            level -= 1


def safe_load_yaml(text: str) -> Any:
    """yaml.safe_load with limits on nesting depth and on alias expansion.

    Raises yaml.YAMLError (its message names the limit), like any YAML problem. With
    libyaml present (PyYAML's C parser) the text is parsed in C, ten times faster: the
    depth is checked on its events before the C composer builds the tree. Text it
    refuses, and every text without libyaml, goes through the pure-Python loader, which
    checks the depth while composing, so a refusal reads exactly as it always has.
    """
    yaml, loader_class = _yaml_loader()
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _check_depth(yaml, text, fast)
            return _load_checked(yaml, fast(text))
        except yaml.YAMLError:
            pass  # refused: the pure-Python loader says why, in its own words, as before
    return _load_checked(yaml, loader_class(text))


def _load_checked(yaml, loader) -> Any:  # noqa: ANN001
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_values(node) > MAX_YAML_VALUES:
            raise yaml.YAMLError(
                f"expands to more than {MAX_YAML_VALUES} values through anchors and aliases, "
                "the limit for YAML"
            )
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    if not is_valid_unicode(data):
        raise yaml.YAMLError("holds text that is not valid Unicode (a lone surrogate escape)")
    return data


def is_valid_unicode(data: Any) -> bool:
    """False when any text in `data` (nested lists and dicts) holds a lone surrogate.

    Such text cannot be written to a database, a terminal or a Word file; JSON and YAML
    escapes ("\\ud800") can produce it.
    """
    import json

    try:
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

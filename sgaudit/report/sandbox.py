"""A Jinja sandbox for report templates that also refuses to hang or to exhaust memory.

Report templates are Word files an organisation may edit, so their Jinja is untrusted.
Jinja's `SandboxedEnvironment` stops them reaching Python internals, but not asking for
`9**99999999`, `"x" * 10**9`, `"".center(10**9)` or a loop of a billion steps. This
environment adds a budget to one rendering:

- arithmetic: a power whose result would pass `MAX_INT_BITS` bits is refused;
  repeating a string or list (`*`), padding (`center`, `ljust`, `rjust`, `zfill`,
  `expandtabs`, `indent`, `wordwrap`, `format` widths) and `replace` may not build a
  value over `MAX_STRING` characters;
- loops: `range` gives at most `MAX_RANGE` numbers, and checks the clock as it goes;
- the whole output may not pass `MAX_OUTPUT` characters, nor the rendering
  `TIME_BUDGET_SECONDS`, checked as the output is produced;
- `include`, `import` and `extends` find nothing: a template is one Word file.

Anything over the budget raises jinja2's `SecurityError` with a message naming the
limit; the report module turns that into its one-line ReportError.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import FunctionLoader
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_STRING = 1_000_000  # characters (or items) of one value built by an operation
MAX_OUTPUT = 20_000_000  # characters of one rendered part of the document
MAX_RANGE = 100_000
MAX_INT_BITS = 4_096
TIME_BUDGET_SECONDS = 8.0
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")
_PADDING = {"center", "ljust", "rjust", "zfill", "expandtabs"}


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


class BudgetedSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with the time, size and arithmetic budget described above."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("loader", FunctionLoader(lambda _name: None))
        super().__init__(*args, **kwargs)
        self.deadline = time.monotonic() + TIME_BUDGET_SECONDS
        self.globals["range"] = self._range
        for name in ("center", "indent", "wordwrap", "format"):
            self.filters[name] = self._bounded_filter(name, self.filters[name])

    # -- the clock -----------------------------------------------------------------------
    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(
                f"the template took more than {TIME_BUDGET_SECONDS:.0f} seconds to render "
                "(the time budget for a report)"
            )

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise SecurityError(
                f"range() of {len(numbers)} numbers is over the limit of {MAX_RANGE}"
            )
        return self._ticking(numbers)

    def _ticking(self, items: Iterable[int]) -> Iterator[int]:
        for i, item in enumerate(items):
            if i % 1000 == 0:
                self.check_time()
            yield item

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        out, total = [], 0
        for i, part in enumerate(parts):
            total += len(part)
            if total > MAX_OUTPUT:
                raise SecurityError(
                    f"the template writes more than {MAX_OUTPUT} characters (the limit for a "
                    "report)"
                )
            if i % 1000 == 0:
                self.check_time()
            out.append(part)
        return "".join(out)

    # -- operations ---------------------------------------------------------------------
    def _too_big(self, what: str, size: float) -> None:
        if size > MAX_STRING:
            raise SecurityError(
                f"{what} would build a value of {size:.0f} characters, over the limit of "
                f"{MAX_STRING}"
            )

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:  # noqa: ANN001
        self.check_time()
        if operator_ == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > MAX_INT_BITS:
                raise SecurityError(
                    f"{left} ** {right} is over the limit of {MAX_INT_BITS} bits for a number"
                )
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int):
                    self._too_big("repeating", len(seq) * times)
        if operator_ == "%" and isinstance(left, str):
            self._too_big("formatting", max(_widths(left), default=0))
        if operator_ == "+":
            self._too_big("joining", _size(left) + _size(right))
        return super().call_binop(context, operator_, left, right)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805, ANN001
        __self.check_time()
        name = getattr(__obj, "__name__", "")
        target = getattr(__obj, "__self__", None)
        if isinstance(target, str):
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            if name in _PADDING and numbers:
                width = max(numbers) * (len(target) if name == "expandtabs" else 1)
                __self._too_big(f"str.{name}", width)
            if name == "replace" and len(args) >= 2 and isinstance(args[1], str):
                __self._too_big("str.replace", len(target) + target.count(args[0]) * len(args[1]))
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        """`str.format` / `format_map`, which the sandbox wraps when they are looked up."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and isinstance(getattr(value, "__self__", None), str):
            self._too_big("str.format", max(_widths(value.__self__), default=0))
        return wrapped

    def _bounded_filter(self, name: str, original: Any) -> Any:
        def bounded(*args: Any, **kwargs: Any) -> Any:
            numbers = [a for a in (*args[1:], *kwargs.values()) if isinstance(a, int)]
            value = args[0] if args else ""
            if name == "format" and isinstance(value, str):
                self._too_big("the format filter", max(_widths(value), default=0))
            elif numbers:
                lines = str(value).count("\n") + 1 if name == "indent" else 1
                self._too_big(f"the {name} filter", max(numbers) * lines)
            return original(*args, **kwargs)

        for attr in ("jinja_pass_arg",):
            if hasattr(original, attr):
                setattr(bounded, attr, getattr(original, attr))
        return bounded


def _widths(template: str) -> list[int]:
    return [int(a or b) for a, b in _WIDTH.findall(template)]


__all__ = ["BudgetedSandbox", "SecurityError"]

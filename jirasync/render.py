"""The Jinja door: expressions in release files, and the text templates jirasync ships.

Everything renders in a sandboxed environment with undefined names as errors, so a
release file cannot reach Python internals and a typo cannot silently print nothing.
"""
from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any, TypeVar

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment

from jirasync.errors import JirasyncError
from jirasync.paths import template_search_path


class RenderError(JirasyncError):
    """A template or expression failed: ``message`` says what, ``line`` where if known."""

    def __init__(self, message: str, line: int | None = None, name: str = ""):
        self.line = line
        self.name = name
        super().__init__(message)


# Bounds on what a release file's Jinja may cost (SPEC §2.2 files are untrusted input):
# a time budget per file, a cap on any text or list it builds, no power operator, and
# small ranges. Each is refused with a RenderError, reported at the file's line and key.
TIME_LIMIT_S = 2.0
OUTPUT_MAX = 1_000_000          # characters (or items) any one value or output may reach
RANGE_MAX = 10_000
NUMBER_MAX = 100_000            # a larger number given to a function or filter: refused


class TooCostly(RenderError):
    """A template went past one of the bounds above; ``repeat`` when the file's time
    budget was already reported spent (one line per file is enough)."""

    repeat = False

    def __init__(self, message: str):
        super().__init__(f"Jinja expression failed: {message}")


_budget: ContextVar[_Budget | None] = ContextVar("jirasync_render_budget", default=None)


@dataclass
class _Budget:
    deadline: float
    clock: Callable[[], float]
    seconds: float
    spent: bool = False

    def check(self) -> None:
        if self.spent or self.clock() > self.deadline:
            error = TooCostly(f"Jinja took more than {self.seconds:g} s to render this "
                              "file; simplify the expression")
            error.repeat, self.spent = self.spent, True
            raise error


@contextlib.contextmanager
def time_budget(seconds: float | None = None,
                clock: Callable[[], float] | None = None) -> Iterator[None]:
    """Give every rendering in the block (one file's fields) one shared time budget."""
    seconds, clock = seconds or TIME_LIMIT_S, clock or monotonic
    token = _budget.set(_Budget(clock() + seconds, clock, seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def _tick() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.check()


T = TypeVar("T")


def _sized(value: T) -> T:
    if isinstance(value, (str, list, tuple, bytes)) and len(value) > OUTPUT_MAX:
        raise TooCostly(f"Jinja built a value of {len(value):,} characters or items; at "
                        f"most {OUTPUT_MAX:,} are allowed")
    return value


def _small(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > NUMBER_MAX:
            raise TooCostly(f"the number {arg} is too large for a release file "
                            f"(at most {NUMBER_MAX:,} here)")


def _bounded_range(*args: int) -> Iterator[int]:
    _small(args)
    numbers = range(*args)
    if len(numbers) > RANGE_MAX:
        raise TooCostly(f"range of {len(numbers):,} numbers; at most {RANGE_MAX:,}")
    for number in numbers:
        _tick()
        yield number


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _small((*args, *kwargs.values()))
        return _sized(func(*args, **kwargs))
    return bounded


class _BoundedCode(CodeGenerator):
    """Compiles ``a ~ b`` to a join that checks its size."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("), context.eval_ctx)")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, plus the bounds above on time, size, powers and ranges."""

    code_generator_class = _BoundedCode
    intercepted_binops = frozenset(("**", "*", "+", "%", "//"))

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "**":
            raise TooCostly("the power operator ** is not allowed in release files")
        if operator == "*":
            _repeat_fits(left, right)
        if operator == "%":
            _narrow(left)
        return _sized(super().call_binop(context, operator, left, right))

    # PYI063: mirrors Jinja's own signature
    def call(__self, __context: Context, __obj: Any,  # noqa: PYI063
             *args: Any, **kwargs: Any) -> Any:
        _tick()
        _small((*args, *kwargs.values()))
        _narrow(getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None))
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def bounded_join(self, parts: Iterable[Any], eval_ctx: nodes.EvalContext) -> str:
        _tick()
        join = markup_join if eval_ctx.volatile or eval_ctx.autoescape else str_join
        return _sized(join(parts))


_WIDE = re.compile(r"[%:][-+ #0<>^=,_.*]*\d{7,}")


def _narrow(text: Any) -> None:
    """Refuse a format like ``'%999999999d'`` before it pads."""
    if isinstance(text, str) and _WIDE.search(text):
        raise TooCostly("a format width this large is not allowed in release files")


def _repeat_fits(left: Any, right: Any) -> None:
    """Refuse ``'a' * 10**9`` before it allocates."""
    for seq, times in ((left, right), (right, left)):
        if (isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                and len(seq) * times > OUTPUT_MAX):
            raise TooCostly(f"repeating {len(seq):,} characters or items {times:,} "
                            f"times; at most {OUTPUT_MAX:,} are allowed")


def _render_bounded(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """Render chunk by chunk, stopping when the output or the time budget runs out."""
    out, size = [], 0
    for chunk in template.generate(context):
        _tick()
        size += len(chunk)
        if size > OUTPUT_MAX:
            raise TooCostly(f"Jinja output passed {OUTPUT_MAX:,} characters")
        out.append(chunk)
    return "".join(out)


_strings = BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                              keep_trailing_newline=True)


def render_text(text: str, context: Mapping[str, Any]) -> str:
    """Render one string field (e.g. a lesson title with ``{{ release.name }}``)."""
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return _render_bounded(_strings.from_string(text), context)
    except RenderError:
        raise
    except jinja2.UndefinedError as e:
        raise RenderError(f"Jinja expression uses an undefined name: {e.message}") from None
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(f"Jinja syntax error: {e.message}", e.lineno) from None
    except jinja2.TemplateError as e:
        raise RenderError(f"Jinja expression failed: {e}") from None
    except Exception as e:  # noqa: BLE001 - {{ 1/0 }} and the like: the user's expression failed
        raise RenderError(f"Jinja expression failed: {type(e).__name__}: {e}") from None


def template_environment(user_dir: Path | None, *, autoescape: bool = False,
                         finalize: Callable[[Any], Any] | None = None) -> SandboxedEnvironment:
    """An environment that finds templates in the user's folder first, then packaged ones.
    Filter ``wiki`` makes text safe inside Jira wiki markup (``*{{ title | wiki }}*``).
    ``finalize`` is applied to every ``{{ value }}`` printed (e.g. Markdown escaping)."""
    loader = jinja2.FileSystemLoader([str(p) for p in template_search_path(user_dir)])
    # Sandboxed, but not bounded like release files: these templates are the product's
    # own (or the PMO's override of one), and a deck of a large release is megabytes.
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                               autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, finalize=finalize)
    env.filters["wiki"] = wiki_text
    return env


_WIKI_MARKS = re.compile(r"([\\*{}\[\]|_!^~+])")


def wiki_text(text: object) -> str:
    """``text`` with Jira wiki markup characters escaped, so a title like
    'Wrap {code} in *all* docs' shows as written instead of starting a macro."""
    return _WIKI_MARKS.sub(r"\\\1", str(text))


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render a named template; errors name the template and its line."""
    try:
        return str(env.get_template(name).render(context))
    except RenderError:
        raise
    except jinja2.TemplateNotFound:
        raise RenderError(f"template {name} not found", name=name) from None
    except jinja2.UndefinedError as e:
        raise RenderError(f"template {name}: undefined name: {e.message}", name=name) from None
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(f"template {e.filename or name}:{e.lineno}: {e.message}",
                          e.lineno, name) from None
    except Exception as e:  # noqa: BLE001 - a user's template failed while rendering
        raise RenderError(f"template {name} failed: {type(e).__name__}: {e}", name=name) \
            from None

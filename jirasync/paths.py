"""Where packaged files live, inside a wheel or in a source checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def packaged_templates() -> Path:
    """The templates shipped with jirasync (``templates/`` in the repository)."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def template_search_path(user_dir: Path | None) -> list[Path]:
    """The user's templates_dir (if any) first, so it overrides any template by name."""
    return ([user_dir] if user_dir else []) + [packaged_templates()]


def find_template(name: str, user_dir: Path | None) -> Path | None:
    """The first file called ``name`` on the template search path, or None."""
    for folder in template_search_path(user_dir):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def sample_programme() -> Path:
    """The demo's sample programme: a config and release files."""
    return _PACKAGE / "sample"


def example_config() -> Path:
    """``config.example.yaml``, every key documented: packaged, or in the repository."""
    installed = _PACKAGE / "config.example.yaml"
    return installed if installed.is_file() else _PACKAGE.parent / "config.example.yaml"

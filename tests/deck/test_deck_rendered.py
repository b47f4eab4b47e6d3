"""The PowerPoint deck as LibreOffice draws it: converted headless to PDF, one page per
slide, every word LibreOffice placed (``pdftotext -bbox``) inside its page and above the
footer unless it is the footer, and each page made into a PNG (``pdftoppm``) in
tests/artifacts/deck/ for a person to look at. Skipped, saying why, where LibreOffice or
poppler is not installed (.ci/run installs both)."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

import jirasync.reports.layout as L
from jirasync.cli import main
from jirasync.reports.deckjob import render_deck
from tests.deck.conftest import ARTIFACTS, TODAY
from tests.deck.test_deck_geometry import CASES, LONG, REVIEW, deck_of, files_of

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
INSTALL = ("needs LibreOffice and poppler: apt-get update && apt-get install -y "
           "libreoffice-impress poppler-utils fonts-crosextra-carlito")
pytestmark = pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext"),
                                reason=INSTALL)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


def rendered(pptx: Path) -> Path:
    """The PDF LibreOffice makes of ``pptx`` (in its own profile, so runs never clash)."""
    profile = pptx.parent / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(pptx.parent), str(pptx)],
                   check=True, capture_output=True, timeout=300)
    return pptx.with_suffix(".pdf")


def strays(pdf: Path, prs) -> list[tuple]:
    """Words off their page, or below the body that are not the footer's."""
    box = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages, found = PAGE.findall(box), []
    assert len(pages) == len(prs.slides)
    for number, (w, h, words) in enumerate(pages, start=1):
        width, height = float(w), float(h)
        footer = f"{number} / {len(pages)}"
        for x0, y0, x1, y1, word in WORD.findall(words):
            word = html.unescape(word)
            if float(x0) < -1 or float(x1) > width + 1 or float(y1) > height + 1:
                found.append((number, word, "off the page"))
            elif float(y1) > height * (L.BODY_BOTTOM + 4) / L.SLIDE_H and \
                    float(y0) < height * (L.SLIDE_H - 48) / L.SLIDE_H:
                found.append((number, word, "below the body, above the footer"))
            elif float(y0) >= height * (L.SLIDE_H - 48) / L.SLIDE_H and \
                    word not in f"{prs.slides[0].shapes.title.text} {footer}".split():
                found.append((number, word, "in the footer's place"))
    return found


def pngs(pdf: Path, name: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "48", str(pdf), str(ARTIFACTS / name)],
                   check=True, timeout=300)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_the_demo_deck_as_libreoffice_draws_it(lived_cloud, tmp_path):
    out = tmp_path / "deck-4.3.pptx"
    assert main(["-q", "--config", str(lived_cloud.config_path), "deck", "4.3", "-o",
                 str(out), "--today", TODAY.isoformat()]) == 0
    prs = Presentation(str(out))
    pdf = rendered(out)
    assert strays(pdf, prs) == []
    assert len(pngs(pdf, "pptx-4.3")) == len(prs.slides)


@pytest.mark.parametrize("case", ["250-character titles", "CJK"])
def test_a_stress_deck_as_libreoffice_draws_it(case, tmp_path):
    prog, release = CASES[case]
    deck = deck_of(prog, release=release, today=TODAY, next_review=REVIEW,
                   files=files_of(prog, LONG))
    out = tmp_path / "stress.pptx"
    out.write_bytes(render_deck(deck, "pptx").bytes())
    prs = Presentation(str(out))
    assert strays(rendered(out), prs) == []

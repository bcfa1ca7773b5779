"""A survey's results as one PNG chart: a bar chart per question that has options.

:func:`chart_panels` returns exactly what is drawn (titles, labels, counts), so tests check the
figures without reading pixels; :func:`render_png` draws them with matplotlib's Agg canvas (no
display, no pyplot state, safe in a server).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from bot.i18n import gettext, ngettext, tr
from bot.surveys.results import SurveyResults, option_label

PANEL_HEIGHT = 2.4
WIDTH = 8.0


@dataclass(frozen=True)
class Panel:
    title: str
    labels: list[str]
    counts: list[int]
    note: str  # e.g. "mean 4.2 · median 4"


def format_number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def chart_panels(results: SurveyResults, lang: str) -> list[Panel]:
    panels = []
    for n, item in enumerate(results.questions, start=1):
        if not item.options:
            continue
        note = ngettext("{n} answer", "{n} answers", item.answered, locale=lang)
        if item.mean is not None and item.median is not None:
            note += " · " + gettext(
                "mean {mean}, median {median}",
                locale=lang,
                mean=format_number(item.mean),
                median=format_number(item.median),
            )
        panels.append(
            Panel(
                title=f"{n}. {tr(item.question.text, lang)}",
                labels=[option_label(o, lang) for o in item.options],
                counts=[o.count for o in item.options],
                note=note,
            )
        )
    return panels


def chart_title(results: SurveyResults, lang: str) -> str:
    responses = ngettext("{n} response", "{n} responses", results.finished, locale=lang)
    return f"{tr(results.title, lang)} — {responses}"


def render_png(results: SurveyResults, lang: str) -> bytes | None:
    """The chart as PNG bytes, or None when no question has options to draw."""
    panels = chart_panels(results, lang)
    if not panels:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: only where drawn
    from matplotlib.figure import Figure

    heights = [PANEL_HEIGHT * max(1.0, len(p.labels) / 5) for p in panels]
    figure = Figure(figsize=(WIDTH, sum(heights) + 0.8), layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(textwrap.fill(chart_title(results, lang), 70), fontsize=12)
    axes = figure.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, panel in zip(axes, panels, strict=True):
        positions = list(range(len(panel.labels)))
        bars = ax.barh(positions, panel.counts, color="#3b6ea5")
        ax.set_yticks(positions, [textwrap.shorten(lbl, 40) for lbl in panel.labels])
        ax.invert_yaxis()
        ax.bar_label(bars, padding=2)
        ax.set_title(textwrap.fill(panel.title, 80), fontsize=10, loc="left")
        ax.set_xlabel(panel.note, fontsize=9)
        ax.set_xlim(0, max([*panel.counts, 1]) * 1.15)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()

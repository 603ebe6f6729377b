"""The documents of a comparison: a self-contained HTML report and Markdown.

Everything a reader sees is escaped: HTML text through ``html.escape``, table
cells of Markdown against ``|``.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["describe", "figures", "markdown", "write_html"]


def describe(comparison: Any) -> dict[str, str]:
    """The data, folds and settings of a comparison, as label -> text."""
    result = next(iter(comparison.results.values()))
    index, cv = result.y.index, comparison.settings["cv"]
    freq = getattr(index, "freqstr", None) or "integer steps"
    cutoffs = result.cutoffs
    refit = comparison.settings["refit"]
    refit_text = {True: "at every cutoff", False: "once, then updated with new data"}.get(
        refit, f"every {refit} cutoffs, updated in between"
    )
    return {
        "series": ", ".join(comparison.series)
        + (f" ({comparison.settings['units']})" if comparison.settings.get("units") else ""),
        "span": f"{_stamp(index[0])} to {_stamp(index[-1])} ({len(index)} observations)",
        "frequency": str(freq),
        "folds": f"{len(cutoffs)} cutoffs from {_stamp(cutoffs[0])} to {_stamp(cutoffs[-1])}, "
        f"every {cv.step or cv.horizon} periods"
        + (f", each trained on the last {cv.train_length} periods" if cv.scheme == "sliding" else ""),
        "horizon": str(comparison.settings["horizon"]),
        "refit": refit_text + (" (warm start)" if comparison.settings["warm_start"] else ""),
        "intervals": "none"
        if comparison.settings["coverage"] is None
        else f"{comparison.settings['coverage']:.0%} central",
        "baseline": comparison.baseline,
    }


def figures(comparison: Any) -> list[tuple[str, Any]]:
    """The titled figures of a comparison, in report order."""
    titled = [(f"Forecasts of {s}", comparison.plot_forecasts(s)) for s in comparison.series]
    titled += [
        ("Error by horizon step", comparison.plot_error_by_step()),
        ("Error per cutoff", comparison.plot_error_by_cutoff()),
        ("Skill against the baseline", comparison.plot_skill()),
    ]
    if len(comparison.series) > 1:
        titled.append(("Skill on each series of the panel", comparison.plot_skill_distribution()))
    if comparison.settings.get("quantiles") is not None:
        titled.append(("Calibration of the quantiles", comparison.plot_calibration()))
    return titled


def markdown(comparison: Any, digits: int = 3) -> str:
    """The data description, scores table and significance results as Markdown."""
    lines = ["| | |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in describe(comparison).items()]
    lines += ["", _markdown_table(comparison.scores.round(digits)), ""]
    lines += [f"- {sentence}" for sentence in comparison.verdicts()]
    return "\n".join(lines) + "\n"


def write_html(comparison: Any, path: Path) -> Path:
    """Write a self-contained HTML report (plots embedded as PNG, no network needed).

    Parameters
    ----------
    comparison : Comparison
        What to report.
    path : Path
        The file to write.

    Returns
    -------
    Path
        The written file.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in describe(comparison).items()
    )
    settings = "".join(
        f"<tr><th>{html.escape(name)}</th><td><code>{html.escape(repr(model))}</code></td></tr>"
        for name, model in comparison.models.items()
    )
    verdicts = "".join(f"<li>{html.escape(s)}</li>" for s in comparison.verdicts()) or "<li>No comparison to test.</li>"
    images = []
    for title, fig in figures(comparison):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110)
        plt.close(fig)
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        images.append(
            f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{html.escape(title)}</figcaption></figure>"
        )
    scores = comparison.scores.round(4).to_html(classes="scores", border=0, na_rep="")
    if len(comparison.series) > 1:
        scores += (
            "<h3>Across the panel</h3><p>Mean and geometric mean of the per-series MASE, the share of series on which "
            "the model beats the baseline, the median skill, and a Diebold-Mariano test on every series pooled.</p>"
            + comparison.panel().round(4).to_html(classes="scores", border=0, na_rep="")
        )
    document = _HTML.format(
        title=html.escape(f"Forecast comparison: {', '.join(comparison.series)}"),
        description=rows,
        settings=settings,
        scores=scores,
        verdicts=verdicts,
        figures="\n".join(images),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    return path


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }}
th, td {{ padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; }}
table.meta th, table.meta td {{ text-align: left; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
figcaption {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>{title}</h1>
<h2>Data and folds</h2><table class="meta">{description}</table>
<h2>Scores</h2>
<p>Sorted by rank (MASE: mean absolute error scaled by each fold's in-sample one-step naive error).
Skill is 1 &minus; MASE / MASE of the baseline. The Diebold-Mariano test compares absolute errors with the baseline's
(negative statistic: the model is better).</p>
{scores}
<h2>Is the difference real?</h2><ul>{verdicts}</ul>
<h2>Models</h2><table class="meta">{settings}</table>
<h2>Plots</h2>
{figures}
</body></html>
"""


def _stamp(value: Any) -> str:
    """A timestamp without a midnight time of day; anything else unchanged."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)


def _cell(value: Any) -> str:
    """Text for a Markdown table cell: a ``|`` in a name would end the cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown_table(frame: pd.DataFrame) -> str:
    frame = frame.reset_index()
    header = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join("" if pd.isna(v) else _cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])

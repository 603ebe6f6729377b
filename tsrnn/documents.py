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

import numpy as np
import pandas as pd

from tsrnn import narrative

__all__ = ["describe", "figures", "markdown", "write_html", "summary_html", "pairwise_cells", "confidence_table"]


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
        + (f" ({narrative.nice_units(comparison.settings['units'])})" if comparison.settings.get("units") else ""),
        "span": f"{_stamp(index[0])} to {_stamp(index[-1])} ({len(index)} observations)",
        "frequency": str(freq),
        "folds": f"{len(cutoffs)} cutoffs from {_stamp(cutoffs[0])} to {_stamp(cutoffs[-1])}, "
        f"every {cv.step or cv.horizon} periods"
        + (f", each trained on the last {cv.train_length} periods" if cv.scheme == "sliding" else ""),
        "horizon": str(comparison.settings["horizon"]),
        "refit": refit_text + _warm_text(comparison.settings),
        "intervals": "none"
        if comparison.settings["coverage"] is None
        else f"{comparison.settings['coverage']:.0%} central",
        "baseline": comparison.baseline,
    } | _choices(comparison)


def _warm_text(settings: dict) -> str:
    """Which models continued their refits from the last fit, and how."""
    warm, names = settings.get("warm_start"), settings.get("warm_models") or []
    if not warm or not names or settings.get("refit") is False:
        return ""
    return f"; {', '.join(names)}: {warm.describe()}"


def _choices(comparison: Any) -> dict[str, str]:
    """What compare chose for the user, and why."""
    chosen = comparison.settings.get("chosen") or {}
    adjusted = comparison.settings.get("adjusted") or {}
    rows = {}
    if chosen:
        rows["chosen from the data"] = "; ".join(f"{key} {text}" for key, text in chosen.items())
    if adjusted:
        rows["models adjusted"] = "; ".join(f"{name}: {text}" for name, text in adjusted.items())
    return rows


def figures(comparison: Any) -> list[tuple[str, Any]]:
    """The titled figures of a comparison, in report order."""
    shown = comparison.series[:_MAX_SERIES_DRAWN]
    titled = [(f"Forecasts of {s}, one panel per model", comparison.plot_forecasts(s)) for s in shown]
    titled.append(("Error by horizon step", comparison.plot_error_by_step()))
    if comparison.settings["coverage"] is not None:
        titled.append(("Interval coverage by horizon step", comparison.plot_coverage_by_step()))
    titled += [
        ("Error per cutoff", comparison.plot_error_by_cutoff()),
        ("Skill against the baseline", comparison.plot_skill()),
    ]
    if len(comparison.series) > 1:
        titled.append(("Skill on each series of the panel", comparison.plot_skill_distribution()))
    if comparison.settings.get("quantiles") is not None:
        titled.append(("Calibration of the quantiles", comparison.plot_calibration()))
    return titled


def pairwise_cells(comparison: Any) -> pd.DataFrame:
    """The pairwise matrix in words, from the row model's side: 'better', 'worse' or 'level', with the p-value."""
    matrix = comparison.pairwise()
    tests = comparison.pairwise_tests()
    sign = {}
    for row in tests.itertuples(index=False):
        sign[(row.model, row.other)], sign[(row.other, row.model)] = row.mean_difference, -row.mean_difference
    cells = pd.DataFrame("", index=matrix.index, columns=matrix.columns)
    for a in matrix.index:
        for b in matrix.columns:
            p = matrix.loc[a, b]
            if a == b or not np.isfinite(p):
                continue
            word = "level" if p >= narrative.SIGNIFICANCE else ("better" if sign[(a, b)] < 0 else "worse")
            cells.loc[a, b] = f"{word} (p {'< 0.001' if p < 0.001 else '= ' + narrative.significant_figures(p, 2)})"
    return cells


def confidence_table(comparison: Any, alpha: float = 0.1) -> pd.DataFrame:
    """The model confidence set for people: MASE of the paired forecasts, p-value, in or out."""
    table = comparison.confidence_set(alpha=alpha)
    return pd.DataFrame(
        {
            "MASE ↓": [narrative.significant_figures(v) for v in table["mean_loss"]],
            "MCS p-value": [narrative.significant_figures(v, 2) for v in table["mcs_pvalue"]],
            f"in the {1 - alpha:.0%} set": ["yes" if v else "no" for v in table["in_set"]],
        },
        index=table.index,
    )


def markdown(comparison: Any, digits: int = 3) -> str:
    """The headline, data, scores, significance, glossary and provenance as Markdown.

    ``digits`` is the number of significant figures of the scores.
    """
    lines = [f"**{comparison.headline()}**", "", "| | |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in describe(comparison).items()]
    lines += ["", "Best first. ↓ lower is better, ↑ higher is better.", ""]
    lines += [_markdown_table(narrative.people_table(comparison, digits)), ""]
    lines += ["Every pair (Diebold-Mariano, Holm-adjusted p; read along a row):", ""]
    lines += [_markdown_table(pairwise_cells(comparison)), ""]
    lines += ["Models not distinguishable from the best at 90% (model confidence set):", ""]
    try:
        lines += [_markdown_table(confidence_table(comparison)), ""]
    except ValueError as error:
        lines += [f"Not computed: {error}", ""]
    baseline = _cell(comparison.baseline)
    lines += [f"Each model against the baseline, {baseline}, alone (one test per model, not adjusted):", ""]
    lines += [f"- {sentence}" for sentence in comparison.verdicts()] + [""]
    lines += ["Glossary:", ""] + [f"- **{_cell(term)}**: {_cell(text)}" for term, text in comparison.glossary().items()]
    if comparison.provenance:
        lines += ["", "| provenance | |", "|---|---|"]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in comparison.provenance.items()]
    return "\n".join(lines) + "\n"


def summary_html(comparison: Any) -> str:
    """The headline and the scores table, for a notebook's display of a comparison."""
    return f"<p><b>{html.escape(comparison.headline())}</b></p>{_table_html(narrative.people_table(comparison))}"


def _table_html(frame: pd.DataFrame) -> str:
    """A table with its index as leading columns: one header row, no empty row for the index's name."""
    return frame.reset_index().to_html(classes="scores", border=0, escape=True, index=False, na_rep="")


def _confidence_html(comparison: Any) -> str:
    try:
        return _table_html(confidence_table(comparison))
    except ValueError as error:
        return f"<p>Not computed: {html.escape(str(error))}</p>"


def _figure_html(title: str, fig: Any) -> str:
    """A figure as an embedded PNG, with a narrower drawing for phones.

    Scaled down to a phone's width, a desktop figure's text becomes too small
    to read; the narrow drawing of the same figure keeps it at about the size
    of the page's own small print.
    """
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    wide = _png(fig)
    width, height = fig.get_size_inches()
    fig.set_size_inches(_NARROW_INCHES, height)
    for text in fig.findobj(Text):  # long titles break into lines instead of running off the narrow figure
        text.set_wrap(True)
    narrow = _png(fig)
    plt.close(fig)
    return (
        f'<figure><picture><source media="(max-width: {_NARROW_SCREEN}px)" srcset="{narrow}">'
        f'<img alt="{html.escape(title)}" width="{round(width * _DPI)}" height="{round(height * _DPI)}" '
        f'src="{wide}"></picture><figcaption>{html.escape(title)}</figcaption></figure>'
    )


def _png(fig: Any) -> str:
    """The figure as a ``data:`` URL of a PNG with a palette of 256 colours (a third of the bytes, the same look)."""
    from PIL import Image

    drawn = io.BytesIO()
    fig.savefig(drawn, format="png", dpi=_DPI, facecolor="white")
    image = Image.open(drawn).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _rows(items: dict[str, str], code: bool = False) -> str:
    wrap = (lambda v: f"<code>{html.escape(v)}</code>") if code else html.escape
    return "".join(f"<tr><th>{html.escape(k)}</th><td>{wrap(v)}</td></tr>" for k, v in items.items())


def _matrix_html(cells: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cells.columns)
    body = []
    for name, row in cells.iterrows():
        tds = "".join(f'<td class="{v.split(" ")[0] if v else "self"}">{html.escape(v) or "&mdash;"}</td>' for v in row)
        body.append(f"<tr><th>{html.escape(str(name))}</th>{tds}</tr>")
    return f'<table class="matrix"><thead><tr><th>model</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


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
    path = Path(path)
    scores = _table_html(narrative.people_table(comparison))
    panel = ""
    if len(comparison.series) > 1:
        table = comparison.panel().map(narrative.significant_figures)
        panel = (
            "<h3>Across the panel</h3><p>Mean and geometric mean of the per-series MASE, the share of series on which "
            "the model beats the baseline, the median skill, and a Diebold-Mariano test on every series pooled.</p>"
            f'<div class="scroll">{_table_html(table)}</div>'
        )
    verdicts = "".join(f"<li>{html.escape(s)}</li>" for s in comparison.verdicts()) or "<li>No comparison to test.</li>"
    settings = {name: repr(model) for name, model in comparison.models.items()}
    glossary = "".join(
        f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>" for term, text in comparison.glossary().items()
    )
    document = _HTML.format(
        title=html.escape(f"Forecast comparison: {', '.join(comparison.series)}"),
        headline=html.escape(comparison.headline()),
        scores=scores,
        panel=panel,
        pairwise=_matrix_html(pairwise_cells(comparison)),
        confidence=_confidence_html(comparison),
        baseline=html.escape(comparison.baseline),
        verdicts=verdicts,
        figures="\n".join(_figure_html(title, fig) for title, fig in figures(comparison)),
        description=_rows(describe(comparison)),
        settings=_rows(settings, code=True),
        glossary=glossary,
        provenance=_rows(comparison.provenance) or "<tr><td>not recorded</td></tr>",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
    return path


_MAX_SERIES_DRAWN = 6

#: Resolution of the embedded figures, the width of their drawing for phones, and the screen width below which
#: a browser shows that drawing.
_DPI = 110
_NARROW_INCHES = 4.8
_NARROW_SCREEN = 600

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 1.5em auto; padding: 0 1em; color: #222;
        line-height: 1.45; }}
h1 {{ font-size: 1.6em; margin-bottom: 0.3em; }}
.headline {{ font-size: 1.15em; background: #f3f6fb; border-left: 4px solid #3b6fb6; padding: 0.7em 1em;
             margin: 0.5em 0 1.5em; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.88em; }}
th, td {{ padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }}
thead th {{ vertical-align: bottom; white-space: normal; min-width: 6em; }}
table.scores td:first-child, table.scores th:first-child {{ text-align: left; }}
table.meta th, table.meta td {{ text-align: left; white-space: normal; }}
table.meta code {{ white-space: pre-wrap; word-break: break-word; font-size: 0.95em; }}
table.matrix td.better {{ background: #dcefdc; }} table.matrix td.worse {{ background: #f6dcdc; }}
table.matrix td.self {{ color: #999; text-align: center; }}
.note {{ color: #555; font-size: 0.92em; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; height: auto; }}
figcaption {{ color: #555; font-size: 0.9em; }}
dt {{ font-weight: 600; margin-top: 0.5em; }} dd {{ margin-left: 1.2em; }}
@media (max-width: 600px) {{ body {{ margin: 0.8em auto; }} h1 {{ font-size: 1.3em; }}
  .headline {{ font-size: 1em; }} th, td {{ padding: 3px 6px; }} thead th {{ min-width: 4em; }} }}
</style></head><body>
<h1>{title}</h1>
<p class="headline">{headline}</p>
<h2>Scores</h2>
<p class="note">Best first. &darr; lower is better, &uarr; higher is better; coverage should be close to its target.
Every metric is explained in the glossary at the end.</p>
<div class="scroll">{scores}</div>
{panel}
<h2>Is the difference real?</h2>
<p class="note">Every pair of models, tested with Diebold-Mariano on scaled absolute errors, p-values adjusted for the
number of pairs (Holm). Read along a row: the row's model is better, worse or level with the column's.</p>
<div class="scroll">{pairwise}</div>
<p class="note">Models not distinguishable from the best at 90% (model confidence set):</p>
<div class="scroll">{confidence}</div>
<p class="note">Each model against the baseline, {baseline}, alone (one test per model, on absolute errors, as in the
scores table; not adjusted for the number of tests, so a pair can pass here and be level in the matrix above):</p>
<ul>{verdicts}</ul>
<h2>Plots</h2>
{figures}
<h2>Data and folds</h2><div class="scroll"><table class="meta">{description}</table></div>
<h2>Models</h2><table class="meta">{settings}</table>
<h2>Glossary</h2><dl>{glossary}</dl>
<h2>Provenance</h2><table class="meta">{provenance}</table>
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

"""The HTML report as a reader sees it: rendered by headless Chromium at a desktop and a phone width.

The report is loaded in a frame of the given width inside a host page; a small
script in the report measures the page after loading (scroll width, images,
where the headline ends) and posts the numbers to the host, whose DOM
Chromium prints.
"""

import json
import re
import shutil
import subprocess

import pytest

from tsrnn import ARForecaster, GRUForecaster, compare

_MEASURE = """<script>
window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.images);
  var headline = document.querySelector('.headline');
  var numbers = {
    width: window.innerWidth, height: window.innerHeight,
    scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
    images: images.length,
    broken: images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length,
    widestImage: Math.max.apply(null, images.map(function (i) { return i.getBoundingClientRect().right; })),
    // How far each drawing is shrunk to fit: below about 0.6 its text is too small to read.
    smallestScale: Math.min.apply(null, images.map(function (i) { return i.getBoundingClientRect().width / i.naturalWidth; })),
    narrowDrawings: images.filter(function (i) { return i.currentSrc !== i.src; }).length,
    headlineBottom: headline ? headline.getBoundingClientRect().bottom : -1
  };
  window.parent.postMessage(JSON.stringify(numbers), '*');
});
</script>"""

_HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="measured.html" width="{width}" height="{height}" style="border:0"></iframe>
<pre id="numbers"></pre>
<script>window.addEventListener('message', function (e) {{ document.getElementById('numbers').textContent = e.data; }});</script>
</body></html>"""


def _chromium() -> str | None:
    return next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from tsrnn.testing import synthetic_series

    y = synthetic_series(n=220)
    models = {
        "ar": ARForecaster(lags=7),
        "gru": GRUForecaster(window=14, horizon=7, hidden_size=8, epochs=2, random_state=0),
    }
    comparison = compare(models, y, horizon=7, initial=150, progress=False, units="degC")
    folder = tmp_path_factory.mktemp("report")
    path = comparison.to_html(folder / "report.html")
    text = path.read_text(encoding="utf-8")
    (folder / "measured.html").write_text(text.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    return folder, comparison


def _measure(folder, width: int, height: int = 900) -> dict:
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it where it can")
    host = folder / f"host{width}.html"
    host.write_text(_HOST.format(width=width, height=height), encoding="utf-8")
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={folder / 'profile'}",
        f"--window-size={max(width, 800) + 20},{height + 100}", "--virtual-time-budget=10000", "--dump-dom",
        host.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="numbers">([^<]*)</pre>', done.stdout)
    assert found and found.group(1), f"Chromium printed no measurements: {done.stderr[-2000:]}"
    return json.loads(found.group(1))


@pytest.mark.parametrize("width", [1400, 400])
def test_the_report_fits_the_screen_and_loads_every_image(report, width):
    folder, comparison = report
    numbers = _measure(folder, width)
    assert numbers["width"] == width
    # No horizontal scrolling of the page: wide tables scroll inside their own box.
    assert numbers["scrollWidth"] <= width and numbers["bodyScrollWidth"] <= width, numbers
    assert numbers["images"] == 5 and numbers["broken"] == 0, numbers
    assert numbers["widestImage"] <= width, numbers
    # Legible: on a phone the browser picks the narrow drawing of each figure, so no text shrinks below 0.6.
    assert numbers["narrowDrawings"] == (5 if width < 600 else 0), numbers
    assert numbers["smallestScale"] >= 0.6, numbers
    if width == 1400:
        assert 0 < numbers["headlineBottom"] <= numbers["height"], "the headline needs scrolling to be read"

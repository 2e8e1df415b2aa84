"""Take the documentation's screenshots with headless Chromium; run by hand, from the checkout.

    pip install -e ".[notebook,docs]"     # pandas, matplotlib, nbclient, ipykernel, nbconvert
    apt-get install -y chromium           # or any Chromium / Chrome on PATH, or set CHROMIUM
    python docs/screenshots.py

Writes docs/img/report.png, the HTML report of the bundled multistate example as
`breachrules assess --format html` writes it, and docs/img/notebook.png, the tutorial notebook
executed and rendered as Jupyter shows it, scrolled to the assessment's HTML display. Look at
both before committing them: a screenshot is not checked by any test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import breachrules

DOCS = Path(__file__).resolve().parent
IMG = DOCS / "img"
WINDOW = "1280,900"


def chromium() -> str:
    """The Chromium (or Chrome) binary: $CHROMIUM, else the first one found on PATH."""
    names = [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"]
    for name in filter(None, names):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no Chromium found: apt-get install -y chromium, or set CHROMIUM=/path/to/it")


def screenshot(page: Path, png: Path) -> None:
    """Render a local HTML file to a PNG of the window size, offline and with no profile."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={WINDOW}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {png.relative_to(DOCS.parent)}")


def report_page(folder: Path) -> Path:
    """The HTML report of the multistate example, as the command line writes it."""
    example = resources.files("breachrules").joinpath("examples/multistate.json")
    incident = breachrules.parse_incident(json.loads(example.read_text(encoding="utf-8")))
    rules = breachrules.load_rules()
    assessment = breachrules.obligations(incident, rules=rules)
    page = folder / "report.html"
    page.write_text(
        breachrules.render(assessment, "html", incident=incident, rules=rules), encoding="utf-8"
    )
    return page


def notebook_page(folder: Path) -> Path:
    """The tutorial, executed, as HTML from the assessment onwards (the setup cell left out)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    ).execute()
    start = next(
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and "breachrules.obligations(" in cell.source
    )
    notebook.cells = notebook.cells[start:]
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    page = folder / "notebook.html"
    page.write_text(body, encoding="utf-8")
    return page


def main() -> None:
    IMG.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        screenshot(report_page(folder), IMG / "report.png")
        screenshot(notebook_page(folder), IMG / "notebook.png")


if __name__ == "__main__":
    main()

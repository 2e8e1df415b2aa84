"""The notebook extras: Assessment.to_dataframe, the timeline chart, and the tutorial notebook.

Each test is skipped when the package it needs (pandas, matplotlib, nbclient) is not installed:
``pip install -e '.[dev]'`` installs them.
"""

from __future__ import annotations

import builtins
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from breachrules import Assessment, obligations
from breachrules.reports import CSV_COLUMNS, render

TUTORIAL = Path(__file__).parent.parent / "docs" / "tutorial.ipynb"
NOW = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def multistate() -> Assessment:
    example = resources.files("breachrules").joinpath("examples/multistate.json")
    return obligations(json.loads(example.read_text(encoding="utf-8")))


def with_undated(assessment: Assessment) -> Assessment:
    """The same assessment with its first obligation's deadline removed ("no fixed date")."""
    data = assessment.to_dict()
    data["obligations"][0]["deadline"] = None
    return Assessment.from_dict(data)


def refuse_import(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``import name`` (and its submodules) fail, as if it were not installed."""
    real_import = builtins.__import__

    def fake_import(module: str, *args: Any, **kwargs: Any) -> Any:
        if module == name or module.startswith(name + "."):
            raise ImportError(f"No module named {module!r}")
        return real_import(module, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_dataframe_has_one_row_per_obligation_with_the_csv_columns(
    multistate: Assessment,
) -> None:
    pd = pytest.importorskip("pandas")
    df = multistate.to_dataframe()
    assert list(CSV_COLUMNS) == list(df.columns)
    assert len(multistate) == len(df)
    for row, ob in zip(df.itertuples(index=False), multistate, strict=True):
        assert (ob.status, ob.regime, ob.obligation, ob.jurisdiction) == (
            row.status,
            row.regime,
            row.obligation,
            row.jurisdiction,
        )
        assert ob.missing_facts == row.missing_facts
        assert ob.affected_count == row.affected_count
        assert ob.deadline is not None
        assert pd.Timestamp(ob.deadline) == row.deadline  # the same instant, in UTC
    assert str(df["deadline"].dt.tz) == "UTC"
    assert df["deadline"].is_monotonic_increasing


def test_dataframe_matches_the_csv_report(multistate: Assessment) -> None:
    pd = pytest.importorskip("pandas")
    csv = pd.read_csv(io.StringIO(render(multistate, "csv")), keep_default_na=False)
    df = multistate.to_dataframe()
    for column in ("status", "regime", "obligation", "recipient", "citation", "affected_count"):
        assert csv[column].tolist() == df[column].tolist()
    assert csv["missing_facts"].tolist() == [";".join(f) for f in df["missing_facts"]]


def test_dataframe_of_no_deadline_and_of_no_obligation(multistate: Assessment) -> None:
    pytest.importorskip("pandas")
    undated = with_undated(multistate).to_dataframe()
    assert undated["deadline"].isna().sum() == 1
    empty = Assessment.build(
        as_of=multistate.as_of, breachrules_version="0", obligations=[], not_required=[]
    ).to_dataframe()
    assert list(CSV_COLUMNS) == list(empty.columns)
    assert len(empty) == 0


def test_dataframe_without_pandas_says_how_to_install_it(
    multistate: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_import(monkeypatch, "pandas")
    with pytest.raises(ImportError, match=r"pip install 'breachrules\[notebook\]'"):
        multistate.to_dataframe()


@pytest.fixture
def pyplot() -> Iterator[Any]:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def deadline_markers(ax: Any) -> list[Any]:
    return [line for line in ax.get_lines() if line.get_gid() == "deadline"]


def test_timeline_has_one_marker_per_dated_obligation(multistate: Assessment, pyplot: Any) -> None:
    import matplotlib.dates as mdates

    ax = multistate.plot_timeline(now=NOW)
    markers = deadline_markers(ax)
    dated = [ob for ob in multistate if ob.deadline is not None]
    assert len(dated) == len(markers)
    assert len(multistate) == len(ax.get_yticks())
    for ob, marker in zip(dated, markers, strict=True):
        (x,) = marker.get_xdata()
        assert ob.deadline is not None
        assert mdates.num2date(x) == ob.deadline
        colour = "#c62828" if ob.status == "required" else "#e69500"
        assert colour == marker.get_color()


def test_timeline_lists_obligations_without_a_date_and_draws_on_a_given_axes(
    multistate: Assessment, pyplot: Any
) -> None:
    _, given = pyplot.subplots()
    assessment = with_undated(multistate)
    ax = assessment.plot_timeline(now=NOW, ax=given)
    assert ax is given
    assert len(assessment) - 1 == len(deadline_markers(ax))
    assert ["no fixed date"] == [t.get_text() for t in ax.texts]


def test_timeline_defaults_now_to_the_current_time_and_rejects_a_naive_now(
    multistate: Assessment, pyplot: Any
) -> None:
    import matplotlib.dates as mdates

    from breachrules.timeline import plot_timeline

    ax = plot_timeline(multistate)
    (now_line,) = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    drawn = mdates.num2date(now_line.get_xdata()[0])
    assert abs(datetime.now(UTC) - drawn) < timedelta(minutes=5)
    with pytest.raises(ValueError, match="time zone"):
        plot_timeline(multistate, now=datetime(2026, 3, 2, 9, 30))


def test_timeline_without_matplotlib_says_how_to_install_it(
    multistate: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_import(monkeypatch, "matplotlib")
    with pytest.raises(ImportError, match=r"pip install 'breachrules\[notebook\]'"):
        multistate.plot_timeline(now=NOW)


def test_the_tutorial_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the chart
    notebook = nbformat.read(TUTORIAL, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(TUTORIAL.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("text/html" in o.get("data", {}) for o in outputs)  # the HTML display
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the timeline

"""A timeline of an assessment's deadlines, drawn with matplotlib.

Needs matplotlib (``pip install 'breachrules[notebook]'``)::

    ax = breachrules.obligations(incident).plot_timeline(now=datetime.now(UTC))

Each obligation is one row, labelled with its recipient, law and duty, earliest deadline at the top:
a line runs from ``now`` to a marker at the deadline, red for a required duty and amber for one
that depends on unknown facts. Obligations without a fixed date are listed at the bottom, marked
"no fixed date" at the right.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from breachrules.results import Assessment, Obligation

if TYPE_CHECKING:
    from matplotlib.axes import Axes

COLOURS = {"required": "#c62828", "undetermined": "#e69500"}
"""Marker and line colour of each status: required in red, undetermined in amber."""

_LABEL_WIDTH = 40


def _label(ob: Obligation) -> str:
    name = ob.recipient_name
    if len(name) > _LABEL_WIDTH:
        name = name[: _LABEL_WIDTH - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return f"{name} ({ob.regime}/{ob.obligation})"


def plot_timeline(
    assessment: Assessment, *, now: datetime | None = None, ax: Axes | None = None
) -> Axes:
    """Draw each obligation's deadline as a marker, with a line from ``now`` to it.

    Args:
        assessment: the result of ``breachrules.obligations``.
        now: the start of every line, with a time zone; the current time when left out. Pass it
            to draw the same chart every time (in documentation and tests).
        ax: the matplotlib Axes to draw on; a new figure sized to the obligations when left out.

    Returns:
        The Axes drawn on. Each dated obligation has one marker (a ``Line2D`` whose gid is
        ``"deadline"``); obligations without a fixed date are listed as "no fixed date".

    Raises:
        ImportError: when matplotlib is not installed.
        ValueError: when ``now`` has no time zone.
    """
    try:
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ImportError as exc:
        raise ImportError(
            "plot_timeline() needs matplotlib: pip install 'breachrules[notebook]'"
        ) from exc

    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now needs a time zone, e.g. datetime(2026, 3, 2, 9, 30, tzinfo=UTC)")

    dated = [ob for ob in assessment if ob.deadline is not None]
    undated = [ob for ob in assessment if ob.deadline is None]
    rows = dated + undated  # the assessment's order: earliest first, no fixed date last
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 1.4 + 0.32 * max(len(rows), 1)), layout="constrained")

    def num(moment: datetime) -> float:
        return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]

    start = num(now)
    # Show times in the zone of the earliest deadline (usually the incident's).
    tz = dated[0].deadline.tzinfo if dated and dated[0].deadline else now.tzinfo
    for y, ob in enumerate(rows):
        colour = COLOURS[ob.status]
        if ob.deadline is None:
            ax.text(
                0.99,
                y,
                "no fixed date",
                color=colour,
                ha="right",
                va="center",
                fontsize="small",
                style="italic",
                transform=ax.get_yaxis_transform(),
            )
            continue
        due = num(ob.deadline)
        ax.plot([start, due], [y, y], color=colour, linewidth=2, alpha=0.45)
        ax.plot(
            [due],
            [y],
            marker="D",
            linestyle="none",
            markersize=7,
            color=colour,
            gid="deadline",
        )
    ax.axvline(start, color="#555555", linestyle=":", linewidth=1)

    ax.set_yticks(range(len(rows)), [_label(ob) for ob in rows], fontsize="small")
    ax.set_ylim(len(rows) - 0.5, -0.5)  # earliest at the top
    ax.xaxis_date(tz)
    locator = mdates.AutoDateLocator(tz=tz)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, tz=tz)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    if not dated:
        ax.set_xlim(start - 1, start + 30)  # a month from now
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_title("Notification deadlines", loc="left")
    ax.legend(
        handles=[
            Line2D([], [], color=COLOURS["required"], marker="D", label="required"),
            Line2D([], [], color=COLOURS["undetermined"], marker="D", label="undetermined"),
            Line2D([], [], color="#555555", linestyle=":", label=f"now ({now:%Y-%m-%d %H:%M})"),
        ],
        loc="upper right",
        fontsize="small",
    )
    return ax

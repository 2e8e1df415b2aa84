"""Hypothesis strategies for incidents, for property tests here and in downstream services.

Needs Hypothesis (``pip install breachrules[test]``). Each strategy takes parameters to narrow
what it draws, so a downstream test can focus on the places and data it handles::

    from hypothesis import given
    from breachrules import obligations, strategies

    @given(strategies.incidents(jurisdictions=["US-CA", "US-TX"]))
    def test_every_obligation_has_a_citation(incident):
        assert all(ob.citation for ob in obligations(incident))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from breachrules import registry
from breachrules.incident import AffectedGroup, DataOwner, Entity, Incident

DEFAULT_JURISDICTIONS = (
    "US-CA",
    "US-TX",
    "US-NY",
    "US-FL",
    "US-VT",
    "US-WA",
    "US",
    "DE",
    "FR",
    "AT",
    "IE",
    "GB",
    "CA-ON",
)


def jurisdictions(choices: Sequence[str] = DEFAULT_JURISDICTIONS) -> st.SearchStrategy[str]:
    """Jurisdiction codes drawn from ``choices`` (validated)."""
    return st.sampled_from([registry.jurisdiction(c) for c in choices])


def data_categories(
    choices: Sequence[str] | None = None, *, min_size: int = 1, max_size: int = 5
) -> st.SearchStrategy[list[str]]:
    """Lists of distinct data category codes."""
    pool = (
        sorted(registry.categories())
        if choices is None
        else [registry.category(c) for c in choices]
    )
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size, unique=True)


def _maybe_bool() -> st.SearchStrategy[bool | None]:
    return st.sampled_from([True, False, None])


def affected_groups(
    jurisdictions_: Sequence[str] = DEFAULT_JURISDICTIONS,
    *,
    categories: Sequence[str] | None = None,
    max_count: int = 20_000,
    unknown_counts: bool = True,
) -> st.SearchStrategy[AffectedGroup]:
    """Affected groups; counts may be unknown (None) unless ``unknown_counts`` is False."""
    counts: st.SearchStrategy[int | None] = st.integers(0, max_count)
    if unknown_counts:
        counts = st.one_of(counts, st.none())
    return st.builds(
        AffectedGroup,
        jurisdiction=jurisdictions(jurisdictions_),
        count=counts,
        data=data_categories(categories),
        encrypted=_maybe_bool(),
        key_compromised=_maybe_bool(),
        medium=st.sampled_from(["electronic", "paper"]),
    )


def entities(
    *,
    roles: Sequence[str] = ("owner", "service_provider"),
    flags: Sequence[str] | None = None,
    established_in: Sequence[str] = DEFAULT_JURISDICTIONS,
) -> st.SearchStrategy[Entity]:
    """Entities with a role, places of establishment and regulated statuses."""
    flag_pool = sorted(registry.entity_flags()) if flags is None else list(flags)
    return st.builds(
        Entity,
        name=st.just("Example Entity"),
        role=st.sampled_from(list(roles)),
        established_in=st.lists(jurisdictions(established_in), max_size=2, unique=True),
        regulated_as=st.lists(st.sampled_from(flag_pool), max_size=2, unique=True)
        if flag_pool
        else st.just([]),
    )


def aware_datetimes(
    start: datetime = datetime(2018, 1, 1, tzinfo=UTC),
    end: datetime = datetime(2027, 12, 31, tzinfo=UTC),
) -> st.SearchStrategy[datetime]:
    """Aware datetimes with whole-minute UTC offsets between -12 and +14 hours."""
    offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    naive = st.datetimes(start.replace(tzinfo=None), end.replace(tzinfo=None))
    return st.builds(lambda d, z: d.replace(tzinfo=UTC).astimezone(z), naive, offsets)


def incidents(
    jurisdictions: Sequence[str] = DEFAULT_JURISDICTIONS,
    *,
    categories: Sequence[str] | None = None,
    max_groups: int = 6,
    max_count: int = 20_000,
    unknown_counts: bool = True,
    entity: st.SearchStrategy[Entity] | None = None,
) -> st.SearchStrategy[Incident]:
    """Whole incidents; facts and risk of harm may be unknown."""
    facts = st.dictionaries(st.sampled_from(sorted(registry.facts())), _maybe_bool(), max_size=4)
    return st.builds(
        Incident,
        discovered_at=aware_datetimes(),
        entity=entity if entity is not None else entities(established_in=jurisdictions),
        affected=st.lists(
            affected_groups(
                jurisdictions,
                categories=categories,
                max_count=max_count,
                unknown_counts=unknown_counts,
            ),
            min_size=1,
            max_size=max_groups,
        ),
        risk_of_harm=st.sampled_from(["unlikely", "likely", "high", None]),
        facts=facts,
    )


def vendor_incidents(
    jurisdictions: Sequence[str] = DEFAULT_JURISDICTIONS,
    *,
    categories: Sequence[str] | None = None,
    max_clients: int = 4,
    max_groups: int = 3,
    max_count: int = 20_000,
    flags: Sequence[str] | None = None,
) -> st.SearchStrategy[Incident]:
    """Breaches at a service provider with clients (``data_owners``), for ``fan_out``.

    Each client has its own groups, statuses and, perhaps, the time the vendor told it (on or
    after discovery) and kinds of notice it delegated to the vendor.
    """
    flag_pool = sorted(registry.entity_flags()) if flags is None else list(flags)
    places = [registry.jurisdiction(c) for c in jurisdictions]

    @st.composite
    def build(draw: st.DrawFn) -> Incident:
        incident = draw(
            incidents(
                jurisdictions,
                categories=categories,
                max_groups=max_groups,
                max_count=max_count,
                entity=entities(roles=("service_provider",), established_in=jurisdictions),
            )
        )
        owners = []
        for i in range(draw(st.integers(1, max_clients))):
            delay = draw(st.none() | st.integers(0, 14 * 24).map(lambda h: timedelta(hours=h)))
            owners.append(
                DataOwner(
                    name=f"Client {i}",
                    established_in=draw(st.lists(st.sampled_from(places), max_size=1)),
                    regulated_as=draw(
                        st.lists(st.sampled_from(flag_pool), max_size=1)
                        if flag_pool
                        else st.just([])
                    ),
                    affected=draw(
                        st.lists(
                            affected_groups(
                                jurisdictions, categories=categories, max_count=max_count
                            ),
                            max_size=max_groups,
                        )
                    ),
                    notified_at=None if delay is None else incident.discovered_at + delay,
                    delegates=draw(
                        st.lists(
                            st.sampled_from(["individuals", "regulator", "media"]), unique=True
                        )
                    ),
                )
            )
        return incident.model_copy(update={"affected": [], "data_owners": owners})

    return build()

"""Which named referent a definite role ("the minister") or organisation noun ("the
inspectorate") source resolves to, or none. Every text here is written by the newstrace team."""

from __future__ import annotations

import pytest

from newstrace.attribution import _compatible
from newstrace.model import Claim

# --- no spaCy needed ------------------------------------------------------------------------


@pytest.mark.parametrize("source,mention,ok", [
    ((), ("agriculture",), True),                   # "the minister" / "Agriculture Minister X"
    (("agriculture",), ("agriculture",), True),
    (("agriculture",), (), True),                   # "the agriculture minister" / "Minister X"
    (("finance",), ("agriculture",), False),
    ((), ("deputy",), False),                       # "the mayor" / "Deputy mayor X"
    (("deputy",), ("deputy",), True),
    ((), ("prime",), False),                        # "the minister" / "Prime Minister X"
    (("audit",), ("nordvik", "audit"), True),       # "the audit office" / "Nordvik Audit Office"
])
def test_modifiers_of_a_role_must_fit(source: tuple[str, ...], mention: tuple[str, ...], ok: bool) -> None:
    assert _compatible(frozenset(source), frozenset(mention)) is ok


# --- with spaCy -----------------------------------------------------------------------------


def claims(text: str) -> list[Claim]:
    from newstrace.attribution import extract_claims_from_text

    return extract_claims_from_text(text, "t1")


def by_content(text: str, word: str) -> Claim:
    hits = [c for c in claims(text) if word in c.content.text]
    assert hits, [(c.source, c.content.text) for c in claims(text)]
    return hits[0]


def speaker(text: str, word: str) -> tuple[str, str | None]:
    c = by_content(text, word)
    return c.source_kind, c.source_entity


@pytest.mark.slow
def test_the_minister_is_the_titled_minister_not_the_last_person_named() -> None:
    text = ("Agriculture Minister Ana Ruiz visited the flooded valley on Monday. "
            "Tomas Berg, who leads the regional farmers' union, said the harvest was lost. "
            "The minister said the government would pay for new seed.")
    assert speaker(text, "new seed") == ("person", "Ana Ruiz")


@pytest.mark.slow
def test_a_role_given_in_apposition_ties_the_name_to_it() -> None:
    text = ("Maria Lopez, the agriculture minister, visited the flooded valley on Monday. "
            "Farmer Tomas Berg said the harvest was lost. "
            "The minister said the government would pay for new seed.")
    assert speaker(text, "new seed") == ("person", "Maria Lopez")


@pytest.mark.slow
def test_heading_the_ministry_makes_the_minister() -> None:
    text = ("Maria Lopez, who heads the ministry, toured the valley on Monday. "
            "Farmer Tomas Berg said the harvest was lost. "
            "The minister said the government would pay for new seed.")
    assert speaker(text, "new seed") == ("person", "Maria Lopez")


@pytest.mark.slow
def test_the_latest_holder_of_the_role_wins() -> None:
    text = ("Spokeswoman Lena Holm said the ferry would run on Friday. "
            "A week later the port hired Mira Tallis as its new spokeswoman. "
            "Mira Tallis, the spokeswoman, met reporters at the quay. "
            "The spokeswoman said the ferry would not run in March.")
    assert speaker(text, "not run") == ("person", "Mira Tallis")


@pytest.mark.slow
def test_a_role_nobody_named_holds_stays_unresolved() -> None:
    text = ("Farmers' leader Tomas Berg said the harvest was lost. "
            "The minister said the government would pay for new seed.")
    assert speaker(text, "new seed") == ("role", None)


@pytest.mark.slow
@pytest.mark.parametrize("title", ["Deputy mayor", "Finance Minister"])
def test_a_different_role_is_not_the_role(title: str) -> None:
    role = "mayor" if "mayor" in title else "health minister"
    text = (f"{title} Lena Holm opened the new quay on Monday. "
            f"The {role} said the harbour tax would rise next year.")
    assert speaker(text, "harbour tax") == ("role", None)


@pytest.mark.slow
def test_pronouns_keep_the_nearest_person() -> None:
    text = ("Agriculture Minister Ana Ruiz visited the valley. Farmer Tomas Berg met her at the bridge. "
            "\u201cThe harvest is gone,\u201d he said.")
    kind, entity = speaker(text, "harvest")
    assert kind == "person" and entity is not None and entity.endswith("Tomas Berg")


@pytest.mark.slow
def test_the_inspectorate_is_the_organisation_with_that_name_not_a_person() -> None:
    text = ("Inspectors from the Regional Safety Inspectorate visited the Nordvik mill on Tuesday. "
            "Plant director Jonas Varga said the dust filters worked. "
            "Dust levels were four times the limit on Monday, according to the inspectorate.")
    c = by_content(text, "four times")
    assert (c.source_kind, c.source_entity) == ("organisation", "the Regional Safety Inspectorate")


@pytest.mark.slow
def test_an_organisation_noun_nothing_fits_stays_unresolved() -> None:
    text = ("Plant director Jonas Varga said the dust filters worked. "
            "Dust levels were four times the limit on Monday, according to the inspectorate.")
    assert speaker(text, "four times") == ("organisation", None)


@pytest.mark.slow
def test_the_agency_after_its_acronym() -> None:
    text = ("The Nordvik Transport Agency (NTA) opened a tender in May. "
            "Mayor Jonas Varga said the bridge was overdue. "
            "The agency said that twelve firms had applied by Friday.")
    kind, entity = speaker(text, "twelve firms")
    assert kind == "organisation" and entity in ("NTA", "The Nordvik Transport Agency")


@pytest.mark.slow
def test_the_company_is_the_last_organisation_named_as_a_company() -> None:
    text = ("Kestrel Shipping Ltd announced on Monday that it would build two ferries. "
            "The Nordvik Harbour Authority welcomed the order. "
            "Mayor Anna Lind said the yard would hire welders. "
            "The company said the first ferry would sail in 2028.")
    assert speaker(text, "first ferry") == ("organisation", "Kestrel Shipping Ltd")


@pytest.mark.slow
def test_an_organisation_modifier_must_fit() -> None:
    text = ("The Foreign Office summoned the ambassador on Monday. "
            "Fishing quotas were cut by a third, the audit office said.")
    assert speaker(text, "quotas") == ("organisation", None)


@pytest.mark.slow
def test_a_role_with_its_holder_in_apposition_is_that_person() -> None:
    text = "A spokesman for the port, Erik Dahl, said the ferry would run on Friday."
    assert speaker(text, "ferry") == ("person", "Erik Dahl")


@pytest.mark.slow
def test_an_abbreviated_title_ties_the_name_to_the_role() -> None:
    text = ("Sen. Maria Lopez toured the harbour on Monday. Farmer Tomas Berg said the quay was unsafe. "
            "The senator said the harbour tax would rise next year.")
    assert speaker(text, "harbour tax") == ("person", "Maria Lopez")


@pytest.mark.slow
def test_the_agency_takes_a_public_office_named_just_before() -> None:
    text = ("Ferry fares rose 12 percent last year, according to the Nordvik Statistics Office. "
            "Fares for pensioners stayed the same, the agency said.")
    assert speaker(text, "pensioners") == ("organisation", "the Nordvik Statistics Office")

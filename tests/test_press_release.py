"""Press-release markers, organisation names, and the judgement whether an origin group's
common source is a release that is not in the corpus. Every text here is written for this file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from newstrace.press_release import (
    ABOUT, ANNOUNCEMENT, ATTRIBUTION, CONTACT, END_MARK, INTRODUCED, SOURCE_LINE, GroupMember, find_markers,
    host_is_org, judge_origin, org_key, outlet_is_org, same_org, shared_release,
)

T0 = datetime(2025, 9, 3, 7, 0, tzinfo=timezone.utc)

BODY = (
    "BRAMSTEAD, 3 September 2025 \u2014 Corvane Robotics today announced that it will open a warehouse "
    "automation plant in Bramstead, employing 240 people from next spring.\n\n"
    "\u201cBramstead gives us the engineers and the rail links we need,\u201d said chief executive "
    "Ilse Varga. The plant will build 1,800 sorting robots a year.\n\n"
    "The company said the site would use only renewable electricity."
)
ABOUT_SECTION = (
    "\n\nAbout Corvane Robotics\n"
    "Corvane Robotics designs sorting robots for parcel warehouses. It employs 1,100 people in four countries."
)
CONTACT_BLOCK = "\n\nMedia contact: Petra Holm, press@corvanerobotics.example, +00 555 0199"
RELEASE = BODY + ABOUT_SECTION + CONTACT_BLOCK + "\n\n###"

NEWS = (
    "Flood barriers on the Lenn river held overnight after three days of rain, the regional water "
    "authority said on Wednesday. About 1,200 homes remained without power.\n\n"
    "The authority said in a statement that pumping would continue until Friday. Engineers measured "
    "the river at 4.2 metres at its peak, 30 centimetres below the top of the barriers."
)


def kinds(text: str) -> list[str]:
    return [m.kind for m in find_markers(text)]


def test_the_markers_of_a_release_with_their_text_and_offsets() -> None:
    markers = find_markers(RELEASE)
    assert [m.kind for m in markers] == [ANNOUNCEMENT, ABOUT, CONTACT, END_MARK]
    for m in markers:
        assert RELEASE[m.start : m.end] == m.text
    assert {m.org for m in markers if m.org} == {"Corvane Robotics"}
    assert markers[0].text == "Corvane Robotics today announced"
    assert markers[1].text == "About Corvane Robotics"
    assert markers[2].detail == "corvanerobotics.example"  # the contact's e-mail domain


def test_markers_survive_flattened_line_breaks() -> None:
    """Some ingest paths join paragraphs with spaces: the about section and contact block are
    still found, by the organisation's name repeated after the heading and by sentence starts."""
    flat = " ".join(RELEASE.split())
    found = kinds(flat)
    assert ABOUT in found and CONTACT in found and ANNOUNCEMENT in found
    assert END_MARK not in found  # "###" in running text may be anything


def test_other_announcement_forms_and_a_source_line() -> None:
    text = ("Today, Halvern Foods announced a recall.\n"
            "Halvern Foods, the region's largest dairy, is pleased to announce a new plant.\n"
            "SOURCE Halvern Foods\n-ends-")
    markers = find_markers(text)
    assert [m.kind for m in markers] == [ANNOUNCEMENT, ANNOUNCEMENT, SOURCE_LINE, END_MARK]
    assert [m.org for m in markers][:3] == ["Halvern Foods"] * 3


def test_journalism_is_not_taken_for_a_release() -> None:
    """Attributions to a statement, "About us" pages, markdown headings, an "about" that
    starts a sentence and "for more information, visit" are no release form."""
    assert kinds(NEWS) == [ATTRIBUTION]
    assert kinds("About us\nWe are a small newsroom in the hills.") == []
    assert kinds("About This Show\nEvery Sunday, This Show talks to the people in power.") == []
    assert kinds("### Results\nThe home side won 3-1.") == []
    assert kinds("For more information, visit the council's website.") == []
    assert kinds("Press officers said nothing. According to a press release, the plant opens in May.") == [ATTRIBUTION]
    assert kinds("Lindqvist Ports said the company had released the following statement:") == [INTRODUCED]


def test_organisation_names_compare_without_legal_form_and_article() -> None:
    assert org_key("The Corvane Group") == org_key("Corvane") == "corvane"
    assert same_org("Halvern Foods Ltd.", "Halvern Foods") and not same_org("Halvern Foods", "Halvern Dairy")
    assert outlet_is_org("Corvane Robotics Newsroom", "Corvane Robotics")
    assert not outlet_is_org("Bramstead Evening Post", "Corvane Robotics") and not outlet_is_org(None, "Corvane")
    assert host_is_org("https://press.corvanerobotics.example/2025/plant", "Corvane Robotics")
    assert host_is_org("www.corvane-robotics.example", "Corvane Robotics")
    assert not host_is_org("https://bramsteadpost.example/corvane-robotics", "Corvane Robotics")


def _members(release_present: bool) -> list[GroupMember]:
    copy_a = BODY + ABOUT_SECTION  # verbatim, contact dropped
    copy_b = RELEASE
    edit = "Trading in the sector has been slow this year, analysts said. " + BODY
    out = [GroupMember("a", copy_a, "Bramstead Evening Post", None, T0 + timedelta(minutes=40)),
           GroupMember("b", copy_b, "Logistics Weekly", None, T0 + timedelta(minutes=90)),
           GroupMember("c", edit, "Valley Business", None, T0 + timedelta(hours=3))]
    if release_present:
        out.append(GroupMember("r", RELEASE, "Corvane Robotics", None, T0))
    return out


def test_members_that_reproduce_one_release_are_found() -> None:
    finding = shared_release({m.id: m.text for m in _members(False)})
    assert finding is not None and finding.organisation == "Corvane Robotics"
    assert finding.naming == ("a", "b", "c") and set(finding.form) == {"a", "b"}
    assert finding.group_form() == {ABOUT, CONTACT, END_MARK}
    ev = finding.evidence()
    assert ev["contact_domains"] == {"corvanerobotics.example": True}
    assert [k["kind"] for k in ev["markers"]["b"]] == [ANNOUNCEMENT, ABOUT, CONTACT, END_MARK]


def test_the_release_in_the_corpus_stays_the_origin() -> None:
    verdict = judge_origin(_members(True), "r")
    assert verdict is not None and verdict.origin_in_corpus
    assert verdict.evidence["organisation_publications"] == {"r": "outlet 'Corvane Robotics'"}


def test_without_the_release_the_earliest_copy_is_not_the_origin() -> None:
    verdict = judge_origin(_members(False), "a")
    assert verdict is not None and not verdict.origin_in_corpus
    why = verdict.evidence["why_not_the_release"]
    assert "its outlet 'Bramstead Evening Post' is not Corvane Robotics" in why
    assert any("contact block" in w and "end mark" in w for w in why)
    assert verdict.evidence["candidate"]["release_form"] == [ABOUT]


def test_the_release_on_the_organisations_web_host_is_its_own_publication() -> None:
    members = [*_members(False), GroupMember("r", BODY + ABOUT_SECTION, None,
                                             "https://www.corvanerobotics.example/news/plant", T0)]
    verdict = judge_origin(members, "r")
    assert verdict is not None and verdict.origin_in_corpus and "web host" in verdict.reason


def test_an_undated_unattributed_complete_release_that_comes_first_is_the_release() -> None:
    """No outlet to say otherwise: the member with the release's whole form (end matter
    included) and nothing earlier is the release as published; a later one is not."""
    members = [GroupMember("full", RELEASE), GroupMember("cut", BODY + ABOUT_SECTION),
               GroupMember("ed", "Analysts were surprised. " + BODY)]
    verdict = judge_origin(members, "full")
    assert verdict is not None and verdict.origin_in_corpus
    assert verdict.evidence["candidate"]["complete_release_form"]
    dated = [GroupMember("full", RELEASE, published_at=T0 + timedelta(hours=2)),
             GroupMember("cut", BODY + ABOUT_SECTION, published_at=T0)]
    late = judge_origin(dated, "full")
    assert late is not None and not late.origin_in_corpus
    assert "it is not the earliest member" in late.evidence["why_not_the_release"]


def test_copies_of_a_news_story_show_no_release() -> None:
    """A wire story that cites a statement, or merely uses the announcement register, keeps
    its origin: no release form, or one member's register alone, decides nothing."""
    assert shared_release({"w": NEWS, "c1": NEWS, "c2": NEWS + "\n\nMore on page 4."}) is None
    assert judge_origin([GroupMember("w", NEWS, "Wire"), GroupMember("c", NEWS, "Paper")], "w") is None
    register_only = "Corvane Robotics today announced a new plant in Bramstead, the company's third."
    assert shared_release({"a": register_only, "b": register_only, "c": register_only}) is None


def test_members_must_agree_on_the_organisation() -> None:
    """Two members name one organisation, two another: no majority, no finding."""
    other = BODY.replace("Corvane Robotics", "Halvern Foods") + ABOUT_SECTION.replace("Corvane Robotics",
                                                                                       "Halvern Foods")
    texts = {"a": RELEASE, "b": RELEASE, "c": other, "d": other}
    assert shared_release(texts) is None
    texts["e"] = RELEASE
    finding = shared_release(texts)
    assert finding is not None and finding.organisation == "Corvane Robotics"

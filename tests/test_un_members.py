"""Members of the United Nations on given days (issue 15): the Socialist Federal Republic of
Yugoslavia, the United Arab Republic of 1958-61, and Indonesia's absence of 1965-66.

Membership is read three ways: from the declared party lines (``rules.base.parties``), from the
compiled program's ``te_party`` facts, and through a rule that needs membership on the day (the
Article 51 permission of an attacked Member, ``un_51_individual``), so that the three agree."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import atoms_named, conclusions, fact, solve

from engine import Rules

#: the states whose membership issue 15 is about, and their neighbours in the successions
WATCHED = ("yugoslavia", "serbia", "slovenia", "croatia", "bosnia_and_herzegovina", "north_macedonia",
           "montenegro", "egypt", "syria", "united_arab_republic", "indonesia", "malaysia")

#: day -> the watched states that were Members on it
EXPECTED = {
    date(1950, 12, 31): {"yugoslavia", "egypt", "syria", "indonesia"},
    date(1959, 1, 1): {"yugoslavia", "united_arab_republic", "indonesia", "malaysia"},
    date(1962, 1, 1): {"yugoslavia", "egypt", "syria", "indonesia", "malaysia"},
    date(1965, 6, 1): {"yugoslavia", "egypt", "syria", "indonesia", "malaysia"},
    date(1992, 10, 1): {"slovenia", "croatia", "bosnia_and_herzegovina", "egypt", "syria", "indonesia",
                        "malaysia"},
    date(2001, 1, 1): {"serbia", "slovenia", "croatia", "bosnia_and_herzegovina", "north_macedonia", "egypt",
                       "syria", "indonesia", "malaysia"},
}


def declared(rules: Rules, day: date) -> set[str]:
    """Every Member on the day by the party lines of the Charter."""
    return {p.entity for p in rules.base.parties if p.instrument == "un_charter"
            and p.joined <= day and (p.left is None or day < p.left)}


def compiled(rules: Rules, day: date) -> set[str]:
    """Every Member on the day by the compiled program's te_party(X, un_charter, From, To) facts."""
    d = day.toordinal()
    return {str(a.arguments[0]) for a in atoms_named(solve(rules, []), "te_party")
            if str(a.arguments[1]) == "un_charter" and a.arguments[2].number <= d < a.arguments[3].number}


def entitled_to_self_defence(rules: Rules, day: date, victims: tuple[str, ...]) -> set[str]:
    """The victims that Article 51 lets defend themselves against an armed attack on the day: a
    rule that holds only for a Member on that day."""
    atoms = solve(rules, [fact("armed_attack", "united_states", v, day) for v in victims])
    return {c[2] for c in conclusions(atoms, "permission", "un_51_individual")}


def lines(rules: Rules, entity: str) -> list:
    return sorted((p for p in rules.base.parties if p.instrument == "un_charter" and p.entity == entity),
                  key=lambda p: p.joined)


@pytest.mark.parametrize("day", sorted(EXPECTED), ids=str)
def test_the_members_on_the_day_by_the_party_lines_the_program_and_a_rule(rules, day):
    assert declared(rules, day) & set(WATCHED) == EXPECTED[day]
    assert compiled(rules, day) & set(WATCHED) == EXPECTED[day]
    assert entitled_to_self_defence(rules, day, WATCHED) == EXPECTED[day]


def test_the_numbers_of_members_are_those_of_the_un_at_the_end_of_each_year(rules):
    # 60 after Indonesia (1950); 82 after Guinea, the UAR counting once (1958); 104 after Syria's
    # return, Mauritania and Mongolia (1961); 122 after Indonesia's return and four admissions (1966)
    assert len(declared(rules, date(1950, 12, 31))) == 60
    assert len(declared(rules, date(1958, 12, 31))) == 82
    assert len(declared(rules, date(1961, 12, 31))) == 104
    assert len(declared(rules, date(1966, 12, 31))) == 122
    assert len(declared(rules, date(2001, 1, 1))) == 189


def test_yugoslavia_is_an_original_member_until_resolution_47_1_and_the_fry_is_a_member_from_2000(rules):
    (sfry,) = lines(rules, "yugoslavia")
    assert (sfry.joined, sfry.left) == (date(1945, 10, 24), date(1992, 9, 22))
    assert sfry.name == "Socialist Federal Republic of Yugoslavia"
    assert sfry.source == "yugoslavia_un_1992"
    # the note says how the end is dated and which readings disagree, with their sources
    for said in ("22 September 1992", "47/1", "4 July 1992", "badinter_opinion_8", "un_legal_counsel_1992",
                 "icj_fry_membership", "1 November 2000"):
        assert said in sfry.note
    # a member on the eve of resolution 47/1, not on its day
    assert "yugoslavia" in declared(rules, date(1992, 9, 21))
    assert "yugoslavia" not in declared(rules, date(1992, 9, 22))
    # the FRY (serbia) is a Member from its admission on 1 November 2000 only, never beside the SFRY
    (fry,) = lines(rules, "serbia")
    assert (fry.joined, fry.left) == (date(2000, 11, 1), None)
    assert "serbia" not in declared(rules, date(1999, 4, 29))  # the day of the Legality of Use of Force applications
    assert sfry.left <= fry.joined
    # the other successors were admitted as new Members, none before the SFRY's dissolution began
    for successor in ("slovenia", "croatia", "bosnia_and_herzegovina"):
        assert [(p.joined, p.left) for p in lines(rules, successor)] == [(date(1992, 5, 22), None)]
    assert [(p.joined, p.left) for p in lines(rules, "north_macedonia")] == [(date(1993, 4, 8), None)]
    assert [(p.joined, p.left) for p in lines(rules, "montenegro")] == [(date(2006, 6, 28), None)]


def test_the_united_arab_republic_is_one_member_in_place_of_egypt_and_syria_from_1958_to_1961(rules):
    (uar,) = lines(rules, "united_arab_republic")
    assert (uar.joined, uar.left) == (date(1958, 2, 21), date(1961, 10, 13))
    for state in ("egypt", "syria"):
        periods = [(p.joined, p.left) for p in lines(rules, state)]
        assert periods == [(date(1945, 10, 24), date(1958, 2, 21)), (date(1961, 10, 13), None)]
        assert all(p.source for p in lines(rules, state))
    # on the day of the union and the eve of Syria's return: one Member, not three
    for day in (date(1958, 2, 21), date(1961, 10, 12)):
        assert declared(rules, day) & {"egypt", "syria", "united_arab_republic"} == {"united_arab_republic"}
    # the day before the union, and the day Syria resumed its separate membership: two
    assert declared(rules, date(1958, 2, 20)) & {"egypt", "syria", "united_arab_republic"} == {"egypt", "syria"}
    assert declared(rules, date(1961, 10, 13)) & {"egypt", "syria", "united_arab_republic"} == {"egypt", "syria"}
    # Egypt's second period continues the UAR's membership: no new admission, and the note says so
    assert "not a new admission" in lines(rules, "egypt")[1].note
    assert "not a new admission" in lines(rules, "syria")[1].note


def test_indonesia_is_a_member_throughout_with_its_1965_66_absence_in_the_note(rules):
    (indonesia,) = lines(rules, "indonesia")
    assert (indonesia.joined, indonesia.left) == (date(1950, 9, 28), None)
    assert indonesia.source == "un_yearbook_1966"
    for day in (date(1965, 1, 20), date(1965, 3, 1), date(1966, 9, 27), date(1966, 9, 28)):
        assert "indonesia" in declared(rules, day)
    # the episode, its sources, and the reading on which Indonesia was not bound
    for said in ("20 January 1965", "1 March 1965", "28 September 1966", "Disputed", "taylor_1965",
                 "io_membership_chart_1965", "schwelb_1967"):
        assert said in indonesia.note


def test_every_source_named_in_a_membership_note_is_declared(rules):
    import re

    ids = set(rules.base.sources)
    for entity in ("yugoslavia", "serbia", "egypt", "syria", "united_arab_republic", "indonesia"):
        for p in lines(rules, entity):
            assert p.source is None or p.source in ids
            named = set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", p.note or ""))
            cited = named - {q.entity for q in rules.base.parties}
            assert cited <= ids, (entity, cited - ids)

"""Where the Rio Treaty's Article 3 applies (Art. 3(3), Art. 4), what applies elsewhere (Art. 6), and the dates on
which the denunciations took effect (Art. 25): rules/rio_treaty.rules loaded alone, grounded by clingo over given
facts (issue 15).

Article 3(3), in the authentic Spanish: "Lo estipulado en este Artículo se aplicará en todos los casos de ataque
armado que se efectúe dentro de la región descrita en el Artículo 4.° o dentro del territorio de un Estado
Americano. Cuando el ataque se efectúe fuera de dichas areas se aplicará lo estipulado en el Artículo 6."
The places below are neutral, stated facts: these tests settle no claim to any territory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import atoms_named, bound, conclusions, fact, run, solve

from engine import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent

RIO_2022 = {"argentina", "bahamas", "brazil", "chile", "colombia", "costa_rica", "cuba", "dominican_republic",
            "el_salvador", "guatemala", "haiti", "honduras", "panama", "paraguay", "peru", "trinidad_and_tobago",
            "united_states", "uruguay"}
DAY = date(2022, 6, 1)
INSIDE = ("rio_article_4_region", "rio_american_state_territory", "metropolitan_territory")
OUTSIDE = ("rio_outside_article_3_areas", "indian_ocean")


@pytest.fixture(scope="module")
def rio() -> Rules:
    return load_rules(ROOT / "rules" / "rio_treaty.rules")


def attack(victim: str, area: str | None, day: date = DAY, by: str = "russia") -> list:
    facts = [fact("armed_attack", by, victim, day)]
    if area is not None:
        facts.append(fact("attack_location", victim, area, day))
    return facts


def organ_meets(atoms) -> set[tuple]:
    return conclusions(atoms, "obligation", "rio_6_organ_meets")


# ---- Article 3(3): within the region of Article 4 or the territory of an American State ------------------------

@pytest.mark.parametrize("area", INSIDE)
def test_an_attack_on_the_united_states_territory_or_in_the_region_engages_article_3(rio, area):
    atoms = solve(rio, attack("united_states", area))
    assert [str(a) for a in atoms_named(atoms, "rio_attack_against_all")] == [
        f"rio_attack_against_all(united_states,{DAY.toordinal()})"]
    assert bound(atoms, "rio_3_1_assist") == {(m, "united_states") for m in RIO_2022 - {"united_states"}}
    # Article 6 is for attacks outside those areas
    assert organ_meets(atoms) == set()


def test_the_territory_of_another_american_state_counts(rio):
    # an attack on Brazil's forces in the territory of another American State (the case states the place)
    atoms = solve(rio, attack("brazil", "rio_american_state_territory", by="china"))
    assert bound(atoms, "rio_3_1_assist") == {(m, "brazil") for m in RIO_2022 - {"brazil"}}


@pytest.mark.parametrize("area", OUTSIDE)
def test_an_attack_outside_both_areas_engages_no_article_3_duty(rio, area):
    base = attack("uruguay", area) + [fact("requested", "uruguay", "brazil", "assistance", DAY),
                                       fact("measures_taken", "brazil", "uruguay", "rio_article_3", DAY)]
    atoms = solve(rio, base)
    assert atoms_named(atoms, "rio_attack_against_all") == []
    assert bound(atoms, "rio_3_1_assist") == set()
    assert conclusions(atoms, "permission", "rio_3_2_immediate_measures") == set()
    assert conclusions(atoms, "obligation", "rio_3_2_organ_meets") == set()
    # ... but Article 6: the Organ of Consultation meets immediately
    assert organ_meets(atoms) == {("obligation", "rio_6_organ_meets", "rio_organ_of_consultation",
                                   "meet_to_agree_on_measures", "uruguay", DAY)}


def test_south_atlantic_mechanics_with_neutral_facts(rio):
    # The same attack on an American State's vessel at sea in the South Atlantic: where the case places it decides.
    # Placed within the region of Article 4: Article 3. Placed outside the region and on no American State's
    # territory: Article 6 only.
    inside = solve(rio, attack("uruguay", "rio_article_4_region"))
    outside = solve(rio, attack("uruguay", "rio_outside_article_3_areas"))
    assert bound(inside, "rio_3_1_assist") == {(m, "uruguay") for m in RIO_2022 - {"uruguay"}}
    assert organ_meets(inside) == set()
    assert bound(outside, "rio_3_1_assist") == set()
    assert len(organ_meets(outside)) == 1
    # an attack on the territory of a state that is not an American State engages neither Article, wherever it is
    for area in (*INSIDE, *OUTSIDE):
        elsewhere = solve(rio, attack("france", area))
        assert bound(elsewhere, "rio_3_1_assist") == set(), area
        assert organ_meets(elsewhere) == set(), area


def test_an_attack_with_no_stated_place_engages_neither_article(rio):
    atoms = solve(rio, attack("united_states", None))
    assert atoms_named(atoms, "rio_attack_against_all") == []
    assert bound(atoms, "rio_3_1_assist") == set()
    assert organ_meets(atoms) == set()
    # the Charter's own right of self-defence is not affected
    assert {c[1] for c in conclusions(atoms)} == {"un_51_individual"}


def test_a_location_stated_for_another_victim_does_not_place_this_attack(rio):
    facts = [fact("armed_attack", "russia", "chile", DAY), fact("attack_location", "peru", "rio_article_4_region", DAY)]
    assert bound(solve(rio, facts), "rio_3_1_assist") == set()


# ---- Article 6, as Article 3(3) applies it ----------------------------------------------------------------------

def test_article_6_is_due_immediately_and_discharged_when_the_organ_meets(rio):
    facts = attack("chile", "indian_ocean")
    due = {tuple(str(x) for x in a.arguments) for a in atoms_named(solve(rio, facts), "te_due")}
    assert any(d[0] == "rio_6_organ_meets" and d[-1] == "immediately" for d in due)
    met = solve(rio, facts + [fact("rio_organ_of_consultation_met", "chile", date(2022, 6, 2))])
    assert {str(a.arguments[0]) for a in atoms_named(met, "te_discharged")} == {"rio_6_organ_meets"}
    # a meeting on another state's situation discharges nothing
    other = solve(rio, facts + [fact("rio_organ_of_consultation_met", "peru", date(2022, 6, 2))])
    assert atoms_named(other, "te_discharged") == []


def test_article_6_only_for_an_american_state_attacked_by_a_state_while_the_treaty_is_in_force(rio):
    # any American State: a non-party the case states to be one included
    canada = attack("canada", "rio_outside_article_3_areas") + [fact("rio_american_nonparty", "canada")]
    assert len(organ_meets(solve(rio, canada))) == 1
    assert organ_meets(solve(rio, attack("canada", "rio_outside_article_3_areas"))) == set()
    # an armed attack by a non-state group: not the attack of Article 3, so not sent to Article 6 by 3(3)
    group = [fact("te_kind", "al_qaeda", "group"), *attack("chile", "indian_ocean", by="al_qaeda"),
             fact("te_position", "art51_non_state", "includes_non_state")]
    assert organ_meets(solve(rio, group)) == set()
    # not before the Treaty entered into force
    assert organ_meets(solve(rio, attack("brazil", "indian_ocean", day=date(1948, 12, 2)))) == set()
    assert len(organ_meets(solve(rio, attack("brazil", "indian_ocean", day=date(1948, 12, 3))))) == 1


# ---- Article 6, its own situations: an aggression that is not an armed attack, a conflict, a danger to the peace -

SITUATIONS = ("aggression_not_an_armed_attack", "extracontinental_conflict", "intracontinental_conflict",
              "danger_to_the_peace_of_america")


def on_a_situation(atoms) -> set[tuple]:
    return conclusions(atoms, "obligation", "rio_6_organ_meets_on_a_situation")


@pytest.mark.parametrize("situation", SITUATIONS)
def test_each_situation_of_article_6_calls_the_organ_to_meet_immediately(rio, situation):
    facts = [fact("rio_article_6_situation", "united_states", situation, DAY)]
    atoms = solve(rio, facts)
    assert on_a_situation(atoms) == {("obligation", "rio_6_organ_meets_on_a_situation", "rio_organ_of_consultation",
                                      "meet_to_agree_on_measures", "united_states", DAY)}
    assert {tuple(str(x) for x in a.arguments) for a in atoms_named(atoms, "te_due")} == {
        ("rio_6_organ_meets_on_a_situation", "rio_organ_of_consultation", "meet_to_agree_on_measures",
         "united_states", str(DAY.toordinal()), "immediately")}
    # no armed attack: Article 3 is not engaged, and Article 3(3)'s way into Article 6 is not taken
    assert conclusions(atoms, "obligation", "rio_3_1_assist") == set()
    assert organ_meets(atoms) == set()
    met = solve(rio, facts + [fact("rio_organ_of_consultation_met", "united_states", DAY)])
    assert {str(a.arguments[0]) for a in atoms_named(met, "te_discharged")} == {"rio_6_organ_meets_on_a_situation"}
    earlier = solve(rio, facts + [fact("rio_organ_of_consultation_met", "united_states", date(2022, 5, 31))])
    assert atoms_named(earlier, "te_discharged") == []


def test_article_6_situations_only_for_an_american_state_while_the_treaty_is_in_force(rio):
    assert on_a_situation(solve(rio, [fact("rio_article_6_situation", "france", "extracontinental_conflict",
                                           DAY)])) == set()
    canada = [fact("rio_article_6_situation", "canada", "danger_to_the_peace_of_america", DAY)]
    assert on_a_situation(solve(rio, canada)) == set()
    assert len(on_a_situation(solve(rio, canada + [fact("rio_american_nonparty", "canada")]))) == 1
    # a former Party is still an American State (Art. 23, our reading): Mexico after its denunciation
    assert len(on_a_situation(solve(rio, [fact("rio_article_6_situation", "mexico", "intracontinental_conflict",
                                               DAY)]))) == 1
    for day, expected in ((date(1948, 12, 2), 0), (date(1948, 12, 3), 1)):
        atoms = solve(rio, [fact("rio_article_6_situation", "brazil", "aggression_not_an_armed_attack", day)])
        assert len(on_a_situation(atoms)) == expected, day


def test_the_literate_view_quotes_the_spanish_of_article_3_3_and_article_6():
    code, out, _ = run("show", "rio_treaty", "3(3)")
    said = " ".join(out.split())
    assert code == 0
    assert "dentro del territorio de un Estado Americano" in said
    assert "se aplicará lo estipulado en el Artículo 6" in said
    assert "working translation by the treaty-engine authors, not official" in said
    code, out, _ = run("show", "rio_treaty", "6")
    assert code == 0
    assert "el Organo de Consulta se reunirá inmediatamente" in " ".join(out.split())
    assert "rio_6_organ_meets" in out
    assert "rio_6_organ_meets_on_a_situation" in out


# ---- Article 25: the dates on which the denunciations took effect --------------------------------------------

@pytest.mark.parametrize(("state", "left"), [
    ("mexico", date(2004, 9, 6)),      # denounced 2002-09-06 (Mexican Foreign Ministry): two years after
    ("bolivia", date(2014, 6, 5)),     # announced at Cochabamba 2012-06-05: two years after, the earliest possible
    ("nicaragua", date(2014, 6, 5)),   # likewise
    ("ecuador", date(2016, 2, 4)),     # decree of 2014-02-04: two years after, the earliest possible
])
def test_each_denunciation_takes_effect_on_its_date_and_says_it_is_not_confirmed(rio, state, left):
    [party] = [p for p in rio.base.parties if p.instrument == "rio_treaty" and p.entity == state]
    assert party.left == left
    assert "date of effect not confirmed: the earliest possible under Art. 25" in party.note
    last_day = left.fromordinal(left.toordinal() - 1)
    bound_then = {b for b, _ in bound(solve(rio, attack("brazil", "rio_article_4_region", day=last_day)),
                                      "rio_3_1_assist")}
    bound_after = {b for b, _ in bound(solve(rio, attack("brazil", "rio_article_4_region", day=left)),
                                       "rio_3_1_assist")}
    assert state in bound_then
    assert state not in bound_after

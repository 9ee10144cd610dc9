"""Speaker finding: who speaks in wire copy, what they said, and how the story introduced them."""

from pathlib import Path

import pytest

from articles.speakers import DIRECT, PATTERNS, REPORTED, find_speakers

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "story-seed.txt"

BORDER_TALKS = [
    "Lorry drivers stranded at the northern border could be moving again by the weekend.",
    "Speaking after talks in Nairobi, Kenyan Foreign Minister Amina Odhiambo said the crossing would reopen "
    "within a week once both sides had signed.",
    "“We have agreed on the crossings and on the patrols, and the trucks will move again by Friday,” "
    "Odhiambo told reporters.",
    "The deal still needs a signature in Dodoma, according to Tanzanian President Joseph Mwakasege.",
    "Odhiambo later added that customs officers on both sides would work double shifts until the queue clears.",
]

NIGHT_BUSES = [
    "Passengers in the east of the city say the last buses no longer run to time.",
    "Nadia, a 31-year-old nurse, said the night buses had become “a lottery” and that she now walks home "
    "with colleagues.",
    "“I have not slept properly since March,” said Nadia, a 54-year-old baker who runs a stall near the station.",
    "Nadia said she would keep the stall open until the council explains itself.",
    "The Transport Department said a new timetable would be published. He said nothing else. Residents "
    "said they were tired of waiting, calling the plan a “paper promise”.",
]

CLINICS = [
    "Health Minister Peter Maseko said: “No clinic in the province will close this winter.”",
    "“We are hiring nurses as fast as we can train them,” Mr Maseko said, “and the budget is already there.”",
    "The union was not convinced. “Nobody at the depot has been paid since June,” said Sipho Ndlovu, "
    "a union organiser.",
    "“We will march on Monday if the money is not in our accounts.”",
    "Maseko warned that the strike would cost patients more than it cost the department.",
]


def _by_name(speakers):
    return {speaker.name: speaker for speaker in speakers}


def test_a_minister_quoted_directly_and_reported_is_one_speaker_with_every_statement():
    speakers = _by_name(find_speakers(BORDER_TALKS))
    minister = speakers["Amina Odhiambo"]
    assert minister.description == "Kenyan Foreign Minister"
    assert [(s.kind, s.paragraph) for s in minister.statements] == [(REPORTED, 1), (DIRECT, 2), (REPORTED, 4)]
    assert minister.statements[1].text == (
        "We have agreed on the crossings and on the patrols, and the trucks will move again by Friday."
    )
    assert minister.statements[2].text.startswith("Odhiambo later added that customs officers")


def test_a_president_reported_through_according_to_is_found_with_title_as_written():
    president = _by_name(find_speakers(BORDER_TALKS))["Joseph Mwakasege"]
    assert president.description == "Tanzanian President"
    assert [(s.kind, s.paragraph, s.text) for s in president.statements] == [
        (REPORTED, 3, "The deal still needs a signature in Dodoma, according to Tanzanian President Joseph Mwakasege.")
    ]


def test_speakers_come_in_order_of_their_first_statement_and_each_once():
    assert [s.name for s in find_speakers(BORDER_TALKS)] == ["Amina Odhiambo", "Joseph Mwakasege"]


def test_two_members_of_the_public_with_the_same_first_name_stay_two():
    speakers = find_speakers(NIGHT_BUSES)
    assert [(s.name, s.description) for s in speakers] == [
        ("Nadia", "a 31-year-old nurse"),
        ("Nadia", "a 54-year-old baker who runs a stall near the station"),
    ]
    nurse, baker = speakers
    assert [(s.kind, s.paragraph) for s in nurse.statements] == [(REPORTED, 1)]
    assert "“a lottery”" in nurse.statements[0].text  # the partial quote stays in the reported sentence
    # A later bare first name is the Nadia named most recently.
    assert [(s.kind, s.paragraph) for s in baker.statements] == [(DIRECT, 2), (REPORTED, 3)]


def test_organisations_pronouns_crowds_and_scare_quotes_are_not_speakers():
    names = {s.name for s in find_speakers(NIGHT_BUSES)}
    assert names == {"Nadia"}
    texts = " ".join(st.text for s in find_speakers(NIGHT_BUSES) for st in s.statements)
    assert "paper promise" not in texts and "timetable" not in texts


def test_a_group_named_by_a_hyphenated_adjective_is_not_a_speaker():
    copy = [
        "The new rules worry Portuguese-speaking Angolans in the border towns.",
        "For Angolans, the “new rules” remain a source of fear, said Jean-Pierre Mbala, a 60-year-old trader.",
    ]
    assert [(s.name, s.description) for s in find_speakers(copy)] == [("Jean-Pierre Mbala", "a 60-year-old trader")]


def test_title_and_colon_shape_a_split_quotation_and_a_later_surname_with_honorific():
    speakers = _by_name(find_speakers(CLINICS))
    minister = speakers["Peter Maseko"]
    assert minister.description == "Health Minister"
    assert [(s.kind, s.paragraph, s.text) for s in minister.statements] == [
        (DIRECT, 0, "No clinic in the province will close this winter."),
        (DIRECT, 1, "We are hiring nurses as fast as we can train them, and the budget is already there."),
        (REPORTED, 4, "Maseko warned that the strike would cost patients more than it cost the department."),
    ]


def test_a_quotation_carried_into_the_next_paragraph_stays_with_its_speaker():
    organiser = _by_name(find_speakers(CLINICS))["Sipho Ndlovu"]
    assert organiser.description == "a union organiser"
    assert [(s.paragraph, s.text) for s in organiser.statements] == [
        (2, "Nobody at the depot has been paid since June."),
        (3, "We will march on Monday if the money is not in our accounts."),
    ]


def test_same_quotation_sentence_continued_joins_into_one_statement():
    (speaker,) = find_speakers(
        ["“The queue starts at four,” said Lerato, a 27-year-old vendor. “By six there is no water left.”"]
    )
    assert [s.text for s in speaker.statements] == ["The queue starts at four. By six there is no water left."]


def test_words_inside_quotations_are_never_read_as_attributions():
    paragraph = "“Thandi Mokoena said she would come, but she never did,” said Bongani, a 40-year-old driver."
    speakers = find_speakers([paragraph])
    assert [s.name for s in speakers] == ["Bongani"]


def test_every_pattern_in_the_table_is_named_and_has_a_kind():
    assert len({p.name for p in PATTERNS}) == len(PATTERNS)
    assert {p.kind for p in PATTERNS} == {DIRECT, REPORTED}


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed story is not on this machine")
def test_the_seed_story_names_every_speaker_once():
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    speakers = find_speakers([line for line in lines if len(line.split()) > 12])
    surnames = [s.name.split()[-1] for s in speakers]
    for name in ["Lavrov", "Zelensky", "Macron", "Anton", "Vyacheslav"]:
        assert surnames.count(name) == 1, name
    assert sorted(surnames) == ["Anton", "Lavrov", "Macron", "Trump", "Vyacheslav", "Zelensky"]  # nobody else
    by_surname = {s.name.split()[-1]: s for s in speakers}
    assert by_surname["Lavrov"].name == "Sergei Lavrov"
    assert [s.kind for s in by_surname["Lavrov"].statements] == [REPORTED, REPORTED]
    assert by_surname["Anton"].description == "a 32-year-old warehouse worker"
    assert by_surname["Vyacheslav"].description == "a 23-year-old government employee"
    assert by_surname["Macron"].description == "French President"

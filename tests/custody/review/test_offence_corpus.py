"""The offence corpus: every wording gives exactly its expected markers."""

import pytest

from custody.review import offence_data, offences

from .offence_corpus import CORPUS


@pytest.fixture(scope="module")
def knowledge():
    drugs = {}
    for row in offence_data.drug_rows():
        for name in [row["name"], *row["other_names"].splitlines()]:
            drugs.setdefault(offences.normalise(name), row["drug_class"])
    return offences.Knowledge(drugs=drugs, codes={r["code"]: r["marker"] for r in offence_data.code_rows()})


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 100
    assert len({text for text, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[text[:50] for text, _ in CORPUS])
def test_each_wording_gives_its_markers(knowledge, text, expected):
    assert set(offences.recognise(text, knowledge)) == expected

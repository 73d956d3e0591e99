"""A label inside a sentence keeps an abbreviation's capitals ("training and CPD register",
"DSL team"): the app, the report's alt text and the audit trail all use one rule."""

from __future__ import annotations

import pandas as pd
import pytest

from sgaudit.errors import ImportError_
from sgaudit.registers.validation import validate_cells
from sgaudit.vocab import mid_sentence


@pytest.mark.parametrize(
    ("label", "inside"),
    [
        ("Training and CPD register", "training and CPD register"),
        ("DSL team", "DSL team"),
        ("DBS certificates showing information", "DBS certificates showing information"),
        ("DBS-checked staff", "DBS-checked staff"),
        ("Front line", "front line"),
        ("A theme", "a theme"),
        ("IT", "IT"),
        ("", ""),
        # A name keeps its capitals ("the records on Designated Safeguarding Lead"); a
        # one-word title is a common noun inside a sentence.
        ("Designated Safeguarding Lead", "Designated Safeguarding Lead"),
        ("Culture", "culture"),
        ("Trustees / board", "trustees / board"),
    ],
)
def test_a_label_mid_sentence_lowers_its_first_letter_unless_it_opens_with_an_abbreviation(
    label, inside
):
    assert mid_sentence(label) == inside


def test_an_unknown_register_column_names_the_register_with_its_abbreviation():
    cells = pd.DataFrame({"person_code": ["P-0001"], "shoe_size": ["9"]}, index=[2])
    with pytest.raises(ImportError_) as refused:
        validate_cells("training", cells, "training.csv")
    said = " ".join(p.message for p in refused.value.problems)
    assert "unknown column for the training and CPD register" in said

"""Predict-then-check questions: every answer is computed, a missing guess keeps it hidden."""

import pytest

from cnnlab import PREDICTIONS, check_prediction
from cnnlab.predictions import shown


@pytest.mark.parametrize("name", sorted(PREDICTIONS))
def test_every_question_has_a_computed_answer(name):
    value, reason = PREDICTIONS[name].answer()
    assert reason and str(check_prediction(name, value)).startswith(f"Right: {shown(value)}.")
    hidden = check_prediction(name, None)
    assert str(value) not in hidden.replace("(a whole number)", "") or value in (0, 1)
    assert repr(hidden) == str(hidden)  # shows without quotes


def test_expected_answers():
    answers = {name: p.answer()[0] for name, p in PREDICTIONS.items()}
    assert answers["fc-parameters-9-16"] == 160 and answers["doubling-the-side"] == 4
    assert answers["grouped-distinct-values"] == 4 and answers["grouping-multiply-adds"] == 144
    assert answers["locality-alone"] == 64 and answers["two-local-layers"] == 9
    assert answers["output-size-7-3-2-1"] == 4 and answers["conv-parameters-3-16"] == 448
    assert answers["one-by-one"] == 2048 and answers["pool-output-9-3-2"] == 4
    assert answers["corner-feeds"] == 1 and answers["avg-pool-centre-gradient"] == 1.0
    assert answers["receptive-field-cnn"] == 10 and answers["dw-shape"] == (8, 3, 5, 5)
    assert answers["pixels-of-a-photo"] == 40_000 and answers["alexnet-conv1-shared"] == 34_944


def test_answers_are_written_as_the_notebooks_write_numbers():
    assert check_prediction("pixels-of-a-photo", 40_000).startswith("Right: 40,000.")
    assert check_prediction("avg-pool-centre-gradient", 1).startswith("Right: 1.")
    assert check_prediction("one-by-one", 2).startswith("Not quite: you said 2, the answer is 2,048.")
    assert shown(0.5) == "0.5" and shown((8, 3, 5, 5)) == "(8, 3, 5, 5)" and shown(True) == "True"


def test_wrong_guesses_and_bad_input():
    assert check_prediction("locality-alone", 16).startswith("Not quite: you said 16, the answer is 64.")
    assert check_prediction("dw-shape", [8, 3, 5, 5]).startswith("Right")
    with pytest.raises(TypeError, match="the guess must be a whole number, got 4.5"):
        check_prediction("locality-alone", 4.5)
    with pytest.raises(TypeError, match="the guess must be a whole number, got str '64'"):
        check_prediction("locality-alone", "64")
    with pytest.raises(TypeError, match="the guess must be a shape"):
        check_prediction("dw-shape", 8)
    with pytest.raises(ValueError, match="no prediction named 'nope'"):
        check_prediction("nope", 1)

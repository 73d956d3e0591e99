"""The tier answer noise reuses the theme x interview sums of the theme's answer noise
only where that gives the same numbers: one tier per interview."""

from __future__ import annotations

import numpy as np

from sgaudit.analysis.like_with_like import (
    _answer_noise,
    _tier_answer_noise,
    _tier_of_interview,
)


def _answers(seed: int, n: int = 4_000, interviews: int = 120, themes: int = 5):
    rng = np.random.default_rng(seed)
    iv = rng.integers(0, interviews, n)
    tier_of = rng.integers(0, 5, interviews)
    theme = rng.integers(0, themes, n)
    score = rng.choice([0.0, 100 / 3, 200 / 3, 100.0], n) + rng.normal(0, 1e-9, n)
    return theme, tier_of[iv], iv, score, themes


def test_reusing_the_theme_sums_gives_the_same_noise_bit_for_bit():
    for seed in range(5):
        theme, tier, iv, score, themes = _answers(seed)
        noise, by_interview = _answer_noise(theme, iv, score, themes)
        reused = _tier_answer_noise(theme, tier, iv, score, noise, themes, by_interview)
        summed_again = _tier_answer_noise(theme, tier, iv, score, noise, themes)
        np.testing.assert_array_equal(reused, summed_again)


def test_an_interview_whose_answers_name_two_tiers_is_summed_again():
    theme, tier, iv, score, themes = _answers(7)
    tier = tier.copy()
    tier[np.flatnonzero(iv == iv[0])[1]] = (tier[0] + 1) % 5  # one answer, another tier
    assert _tier_of_interview(tier, iv, int(iv.max()) + 1) is None
    noise, by_interview = _answer_noise(theme, iv, score, themes)
    np.testing.assert_array_equal(
        _tier_answer_noise(theme, tier, iv, score, noise, themes, by_interview),
        _tier_answer_noise(theme, tier, iv, score, noise, themes),
    )

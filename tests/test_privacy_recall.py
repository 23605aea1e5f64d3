"""Precision and recall of the privacy screen on a generated corpus (tests/privacy_corpus.py): thousands of
planted ID, card, mobile and e-mail numbers, and decoys a disclosure site really publishes."""

from __future__ import annotations

from privacy_corpus import BANK_CARD, KINDS, MISTYPED, corpus, measure


def test_the_screen_finds_planted_personal_data_and_passes_the_decoys():
    samples = corpus()
    assert len(samples) >= 5000 and sum(1 for s in samples if s.expected) >= 2500
    scores, decoy_hits, wrong = measure(samples)
    shown = "\n".join(f"{s.label}: {s.text!r} → {sorted(got)}" for s, got in wrong[:15])
    for kind in KINDS:
        assert scores[kind].recall >= 0.99, f"{kind}: recall {scores[kind].recall:.4f}\n{shown}"
        assert scores[kind].precision >= 0.95, f"{kind}: precision {scores[kind].precision:.4f}\n{shown}"
    assert scores["all"].precision >= 0.99 and scores["all"].recall >= 0.99, shown
    # Numbers of the disclosure itself are never reported; the only decoys that can be are bare 11-digit
    # numbers that are also valid 199… mobile numbers (a 1990s date and a serial written as one number).
    assert set(decoy_hits) <= {"plain number"}, decoy_hits
    assert decoy_hits["plain number"] <= 40, decoy_hits


def test_a_mistyped_id_number_is_never_a_bank_card():
    samples = [s for s in corpus() if s.label == "mistyped ID number"]
    _, _, wrong = measure(samples)
    assert len(samples) > 500
    assert not [s for s, got in wrong if any(kind == BANK_CARD for kind, _ in got)]
    assert all(kind == MISTYPED for s in samples for kind, _ in s.expected)

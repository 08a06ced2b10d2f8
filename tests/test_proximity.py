"""The proximity bonus: query words close together in a title or summary rank higher."""

from indexer.proximity import _smallest_window, proximity_factor


def test_smallest_window():
    assert _smallest_window([[0, 9], [1]]) == 2
    assert _smallest_window([[0], [5], [3]]) == 6


def test_close_words_in_the_title_and_summary_earn_a_bonus_far_ones_do_not():
    words = ["participatory", "budgeting"]
    close = proximity_factor(
        words,
        {
            "lang": "en",
            "title": "Participatory budgeting in schools",
            "summary": "Pupils run a participatory budget for their school.",
        },
    )
    far = proximity_factor(
        words,
        {
            "lang": "en",
            "title": "Participatory design of the new annual budgeting cycle",
            "summary": "Budgeting.",
        },
    )
    assert close > far == 1.0


def test_inflected_and_unaccented_forms_count_and_one_word_gets_nothing():
    assert (
        proximity_factor(
            ["orcamento", "participativo"],
            {"lang": "pt", "title": "Orçamentos participativos", "summary": ""},
        )
        > 1.0
    )
    assert proximity_factor(["budget"], {"lang": "en", "title": "Budget", "summary": ""}) == 1.0

"""Language detection: short titles, sentences, hints, determinism."""

from __future__ import annotations

import pytest

from observatory.languages import detect_language


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Open data", "en"),
        ("Données ouvertes", "fr"),
        ("Datos abiertos", "es"),
        ("Dados abertos", "pt"),
        ("Jardins partagés", "fr"),
        ("Orçamento participativo", "pt"),
        ("Presupuestos participativos", "es"),
        ("Street lighting", "en"),
    ],
)
def test_two_word_titles(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The city council approved a new plan to reduce traffic in the old town.", "en"),
        ("Le conseil municipal a adopté un plan pour réduire la circulation.", "fr"),
        ("El pleno municipal aprobó un plan para reducir el tráfico.", "es"),
        ("A câmara municipal aprovou um plano para reduzir o trânsito.", "pt"),
    ],
)
def test_sentences(text, lang):
    assert detect_language(text) == lang


def test_a_declared_language_wins_on_ambiguous_short_text():
    # "Transporte público" is both Spanish and Portuguese.
    assert detect_language("Transporte público", hint="pt") == "pt"
    assert detect_language("Transporte público", hint="es-ES") == "es"


def test_clear_text_overrides_a_wrong_declaration():
    text = (
        "Les habitants peuvent signaler un lampadaire en panne grâce à une application "
        "mobile, et la mairie répond à chaque signalement dans la semaine qui suit."
    )
    assert detect_language(text, hint="en") == "fr"


def test_other_languages_are_still_detected_on_long_text():
    text = (
        "Der Stadtrat hat beschlossen, alle Daten der Verwaltung offen zu veröffentlichen, "
        "damit Bürgerinnen und Bürger die Entscheidungen nachvollziehen können."
    )
    assert detect_language(text) == "de"


def test_too_short_gets_the_hint_or_default():
    assert detect_language("42", hint="fr") == "fr"
    assert detect_language("", default="es") == "es"


def test_deterministic():
    text = "Mobilidade urbana"
    assert len({detect_language(text) for _ in range(20)}) == 1

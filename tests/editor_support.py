"""Helpers shared by the editors' tests: a home with accounts, a thesaurus addition
and entries whose right themes are knowable, and ways to log in and fill forms
the way a browser would (reading the real form from the page)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

PASSWORD = "correct horse battery"

THESAURUS = [
    {
        "id": "participatory-budgeting",
        "themes": ["citizen-participation"],
        "pref": {
            "en": "participatory budgeting",
            "fr": "budget participatif",
            "es": "presupuesto participativo",
        },
    },
]

ENTRIES = [
    {
        "id": "pb-draft",
        "type": "practice",
        "status": "draft",
        "lang": "en",
        "title": "Participatory budgeting in the neighbourhoods",
        "summary": "Residents propose projects and vote: participatory budgeting decides a share of "
        "the investment plan.",
        "country": "CA",
        "region": "europe",
    },
    *[
        {
            "id": f"compost-{n}",
            "type": "practice",
            "lang": "en",
            "themes": ["water-waste"],
            "title": f"Household compost bins collection {n}",
            "summary": "The city hands out compost bins to every household and collects organic "
            "kitchen scraps weekly for composting.",
            "country": "GB",
            "published": 2015 + n,
        }
        for n in range(3)
    ],
    {
        "id": "compost-draft",
        "type": "practice",
        "status": "draft",
        "lang": "en",
        "title": "Compost bins for every household",
        "summary": "Households receive compost bins; organic kitchen scraps are collected weekly "
        "for composting.",
        "country": "GB",
    },
    {
        "id": "bulk-a",
        "type": "practice",
        "lang": "en",
        "title": "Zebrafish registry one",
        "summary": "A zebrafish registry for the city.",
        "themes": ["open-data"],
        "published": 2020,
    },
    {
        "id": "bulk-b",
        "type": "practice",
        "lang": "en",
        "title": "Zebrafish registry two",
        "summary": "Another zebrafish registry.",
        "status": "draft",
        "published": 2021,
    },
]


def prepare_home(home, tmp_path: Path):
    """Add the thesaurus, the entries and the accounts (alice, bob: editors; vic: viewer)."""
    from corpus.accounts import Accounts
    from corpus.importers import import_paths
    from corpus.store import CorpusStore
    from indexer.build import update_index

    home.thesaurus_path.write_text(yaml.safe_dump(THESAURUS, allow_unicode=True), "utf-8")
    source = tmp_path / "editor_entries.yaml"
    source.write_text(yaml.safe_dump(ENTRIES, allow_unicode=True), "utf-8")
    report = import_paths(CorpusStore(home.corpus_dir), [source])
    assert not report.refused, report.refused
    update_index(home)
    accounts = Accounts(home.database_path)
    for name, role in (("alice", "editor"), ("bob", "editor"), ("vic", "viewer")):
        accounts.add_user(name, role, PASSWORD)
    return accounts


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, name: str, password: str = PASSWORD, remote: str = "127.0.0.1"):
    page = client.get("/editor/login")
    return client.post(
        "/editor/login",
        data={
            "name": name,
            "password": password,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
        environ_base={"REMOTE_ADDR": remote},
    )


def form_data(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would submit from the form (without any submit button)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    pairs: list[tuple[str, str]] = []
    for control in form.find_all(["input", "textarea", "select"]):
        name = control.get("name")
        if not name:
            continue
        if control.name == "textarea":
            pairs.append((name, control.text.removeprefix("\n")))
        elif control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            pairs.append((name, chosen.get("value", "") if chosen else ""))
        elif control.get("type") in ("checkbox", "radio"):
            if control.has_attr("checked"):
                pairs.append((name, control.get("value", "on")))
        elif control.get("type") not in ("submit", "button"):
            pairs.append((name, control.get("value", "")))
    return pairs


def with_values(pairs, **changes) -> list[tuple[str, str]]:
    """Form pairs with some fields replaced (a list value for repeated fields like themes)."""
    out = [(k, v) for k, v in pairs if k not in changes]
    for name, value in changes.items():
        out += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return out


def edit_form(client, entry_id: str) -> list[tuple[str, str]]:
    page = client.get(f"/editor/entries/{entry_id}")
    assert page.status_code == 200, page.status_code
    return form_data(page.get_data(as_text=True), "edit-form")

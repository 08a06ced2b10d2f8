"""The editors' pages through Flask's test client: permissions, CSRF, login rate limit,
the review queue, edit/publish/reject, stale saves and merging, history and
restore, suggested tags, bulk tagging. Each test gets its own home."""

from __future__ import annotations

import pytest
from editor_support import (
    PASSWORD,
    csrf_from,
    edit_form,
    form_data,
    login,
    prepare_home,
    with_values,
)
from werkzeug.datastructures import MultiDict

from corpus.store import CorpusStore


@pytest.fixture
def editor_home(small_home, tmp_path):
    prepare_home(small_home, tmp_path)
    return small_home


@pytest.fixture
def editor_app(editor_home):
    from webui import create_app

    app = create_app(editor_home, {"TESTING": True})
    yield app
    app.extensions["observatory"].close()


@pytest.fixture
def store(editor_home) -> CorpusStore:
    return CorpusStore(editor_home.corpus_dir)


@pytest.fixture
def alice(editor_app):
    client = editor_app.test_client()
    assert login(client, "alice").status_code == 302
    return client


def save(client, entry_id, pairs, action="save"):
    return client.post(f"/editor/entries/{entry_id}", data=MultiDict([*pairs, ("action", action)]))


def public_ids(client, **params) -> list[str]:
    found = client.get("/api/search", query_string={"per_page": 100, **params}).get_json()
    return [hit["id"] for hit in found["results"]]


# --- who may do what ----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page_and_cannot_save(editor_app, store):
    client = editor_app.test_client()
    for path in (
        "/editor/",
        "/editor/entries/pb-draft",
        "/editor/search",
        "/editor/entries/pb-draft/history",
    ):
        answer = client.get(path)
        assert answer.status_code == 302 and "/editor/login" in answer.headers["Location"], path
    token = csrf_from(client.get("/editor/login").get_data(as_text=True))  # a valid CSRF token
    before = store.get("pb-draft")
    answer = client.post(
        "/editor/entries/pb-draft",
        data={
            "csrf_token": token,
            "version": before.version,
            "type": "practice",
            "title": "Hacked",
        },
    )
    assert answer.status_code == 302 and "/editor/login" in answer.headers["Location"]
    assert store.get("pb-draft") == before


def test_an_account_without_editing_rights_is_refused(editor_app, store):
    viewer = editor_app.test_client()
    assert login(viewer, "vic").status_code == 302
    assert viewer.get("/editor/").status_code == 403
    assert viewer.get("/editor/entries/pb-draft").status_code == 403
    token = csrf_from(viewer.get("/editor/login").get_data(as_text=True))
    before = store.get("pb-draft")
    answer = viewer.post(
        "/editor/entries/pb-draft",
        data={
            "csrf_token": token,
            "version": before.version,
            "type": "practice",
            "title": "Changed",
        },
    )
    assert answer.status_code == 403
    assert store.get("pb-draft") == before


def test_a_disabled_account_loses_its_session_at_once(editor_app, alice, editor_home):
    from corpus.accounts import Accounts

    assert alice.get("/editor/").status_code == 200
    Accounts(editor_home.database_path).set_active("alice", False)
    assert alice.get("/editor/").status_code == 302


def test_wrong_password_is_refused_and_next_is_kept_on_this_site(editor_app):
    client = editor_app.test_client()
    assert login(client, "alice", "wrong password").status_code == 401
    page = client.get("/editor/login?next=//evil.example/x")
    answer = client.post(
        "/editor/login",
        data={
            "name": "alice",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/editor/"


def test_session_cookie_is_httponly_and_samesite_lax(editor_app):
    client = editor_app.test_client()
    answer = login(client, "alice")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = editor_app.test_client()
    page = https.get("/editor/login", base_url="https://localhost")
    answer = https.post(
        "/editor/login",
        base_url="https://localhost",
        data={
            "name": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert "Secure" in answer.headers["Set-Cookie"]


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_post_without_the_right_csrf_token_is_refused(alice, store, token):
    pairs = with_values(edit_form(alice, "pb-draft"), title="Changed by a forged form")
    pairs = [(k, v) for k, v in pairs if k != "csrf_token"]
    if token:
        pairs.append(("csrf_token", token))
    before = store.get("pb-draft")
    answer = save(alice, "pb-draft", pairs)
    assert answer.status_code == 400
    assert store.get("pb-draft") == before
    assert (
        save(
            alice, "pb-draft", with_values(edit_form(alice, "pb-draft"), title="Changed")
        ).status_code
        == 302
    )
    assert store.get("pb-draft").title == "Changed"


def test_login_and_logout_forms_need_the_csrf_token_too(editor_app, alice):
    fresh = editor_app.test_client()
    assert (
        fresh.post("/editor/login", data={"name": "alice", "password": PASSWORD}).status_code == 400
    )
    assert alice.post("/editor/logout").status_code == 400
    assert alice.get("/editor/").status_code == 200  # still logged in
    token = csrf_from(alice.get("/editor/").get_data(as_text=True))
    assert alice.post("/editor/logout", data={"csrf_token": token}).status_code == 302
    assert alice.get("/editor/").status_code == 302


# --- login rate limit ---------------------------------------------------------------------


def test_login_is_refused_after_five_failures_even_with_the_right_password(editor_app):
    client = editor_app.test_client()
    for _ in range(5):
        assert login(client, "alice", "wrong password", remote="10.1.1.1").status_code == 401
    blocked = login(client, "alice", PASSWORD, remote="10.1.1.2")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    assert login(editor_app.test_client(), "bob", remote="10.1.1.1").status_code == 302


# --- queue, edit, publish, reject -----------------------------------------------------------


def test_the_queue_lists_drafts_first_and_filters(alice):
    page = alice.get("/editor/").get_data(as_text=True)
    rows = form_rows(page)
    drafts = [entry_id for entry_id, status in rows if status == "draft"]
    assert set(drafts) == {"pb-draft", "compost-draft", "bulk-b", "web-fixture-draft-entry"}
    assert [status for _, status in rows] == sorted(
        (s for _, s in rows), key=lambda s: s != "draft"
    )
    only = form_rows(
        alice.get("/editor/?status=published&theme=water-waste").get_data(as_text=True)
    )
    assert sorted(entry_id for entry_id, _ in only) == ["compost-0", "compost-1", "compost-2"]
    words = form_rows(alice.get("/editor/?q=zebrafish&status=draft").get_data(as_text=True))
    assert words == [("bulk-b", "draft")]


def form_rows(html: str) -> list[tuple[str, str]]:
    from bs4 import BeautifulSoup

    rows = BeautifulSoup(html, "html.parser").select("table.queue tbody tr")
    return [
        (row["data-id"], next(c for c in row["class"] if c.startswith("status-"))[7:])
        for row in rows
    ]


def test_edit_and_publish_puts_the_entry_in_public_search_at_once(alice, editor_app, store):
    client = editor_app.test_client()
    assert "pb-draft" not in public_ids(client, q="neighbourhoods")
    pairs = with_values(
        edit_form(alice, "pb-draft"),
        title="Participatory budgeting in every neighbourhood",
        themes=["citizen-participation"],
        country="FR",
        region="europe",
    )
    answer = save(alice, "pb-draft", pairs, action="publish")
    assert answer.status_code == 302
    stored = store.get("pb-draft")
    assert (stored.status, stored.title, stored.themes, stored.country) == (
        "published",
        "Participatory budgeting in every neighbourhood",
        ["citizen-participation"],
        "FR",
    )
    assert "pb-draft" in public_ids(client, q="neighbourhood", theme="citizen-participation")


def test_an_invalid_value_is_refused_naming_the_field_and_nothing_is_written(alice, store):
    before = store.get("pb-draft")
    answer = save(
        alice, "pb-draft", with_values(edit_form(alice, "pb-draft"), published="2019-13-45")
    )
    assert answer.status_code == 422
    assert "published" in answer.get_data(as_text=True)
    assert store.get("pb-draft") == before


def test_preview_shows_the_change_without_saving(alice, store):
    before = store.get("pb-draft")
    answer = save(
        alice,
        "pb-draft",
        with_values(edit_form(alice, "pb-draft"), title="Previewed title"),
        action="preview",
    )
    assert answer.status_code == 200 and "Previewed title" in answer.get_data(as_text=True)
    assert store.get("pb-draft") == before


def test_reject_keeps_a_marked_draft_out_of_the_queue(alice, store):
    assert save(alice, "pb-draft", edit_form(alice, "pb-draft"), action="reject").status_code == 302
    stored = store.get("pb-draft")
    assert stored.status == "draft" and stored.extra["rejected"]["by"] == "alice"
    assert "pb-draft" not in dict(form_rows(alice.get("/editor/").get_data(as_text=True)))
    assert dict(form_rows(alice.get("/editor/?status=rejected").get_data(as_text=True))) == {
        "pb-draft": "draft"
    }
    assert (
        save(alice, "pb-draft", edit_form(alice, "pb-draft"), action="publish").status_code == 302
    )
    assert "rejected" not in store.get("pb-draft").extra


# --- no lost update ---------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_the_merge_keeps_both_changes(editor_app, alice, store):
    bob = editor_app.test_client()
    login(bob, "bob")
    alices_form = edit_form(alice, "pb-draft")
    bobs_form = edit_form(bob, "pb-draft")
    assert (
        save(bob, "pb-draft", with_values(bobs_form, summary="Bob's summary.")).status_code == 302
    )
    bobs_version = store.get("pb-draft")

    conflict = save(alice, "pb-draft", with_values(alices_form, title="Alice's title"))
    assert conflict.status_code == 409
    assert store.get("pb-draft") == bobs_version  # nothing written
    html = conflict.get_data(as_text=True)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    shown = {
        row["data-field"]: (
            row.select_one(".mine").text,
            row.select_one(".theirs").text,
            row.select_one("input[checked]")["value"],
        )
        for row in soup.select("table.conflict tbody tr")
    }
    assert shown["title"] == (
        "Alice's title",
        "Participatory budgeting in the neighbourhoods",
        "mine",
    )
    assert shown["summary"][1] == "Bob's summary." and shown["summary"][2] == "theirs"
    assert set(shown) == {"title", "summary"}

    merged = alice.post(
        "/editor/entries/pb-draft/merge",
        data=MultiDict([*form_data(html, "merge-form"), ("action", "save")]),
    )
    assert merged.status_code == 302
    final = store.get("pb-draft")
    assert (final.title, final.summary) == ("Alice's title", "Bob's summary.")


def test_the_merge_can_be_edited_before_saving_and_is_checked_again(editor_app, alice, store):
    bob = editor_app.test_client()
    login(bob, "bob")
    alices_form = edit_form(alice, "pb-draft")
    save(bob, "pb-draft", with_values(edit_form(bob, "pb-draft"), city="Montréal"))
    conflict = save(alice, "pb-draft", with_values(alices_form, city="Québec")).get_data(
        as_text=True
    )
    pairs = with_values(form_data(conflict, "merge-form"), choice__city="mine")
    edit_page = alice.post(
        "/editor/entries/pb-draft/merge", data=MultiDict([*pairs, ("action", "edit")])
    )
    assert edit_page.status_code == 200
    merged_form = form_data(edit_page.get_data(as_text=True), "edit-form")
    assert ("city", "Québec") in merged_form
    save(bob, "pb-draft", with_values(edit_form(bob, "pb-draft"), organisation="Bob again"))
    assert save(alice, "pb-draft", merged_form).status_code == 409  # stale again: refused again
    assert store.get("pb-draft").city == "Montréal"


# --- history and restore ----------------------------------------------------------------------


def test_history_shows_who_changed_which_field_and_restores_any_version(alice, store):
    original = store.get("pb-draft")
    save(alice, "pb-draft", with_values(edit_form(alice, "pb-draft"), title="Second title"))
    save(
        alice,
        "pb-draft",
        with_values(edit_form(alice, "pb-draft"), city="Lyon", tags="vote, budget"),
    )
    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        alice.get("/editor/entries/pb-draft/history").get_data(as_text=True), "html.parser"
    )
    changes = page.select("li.change")
    diffs = [
        [
            (r["data-field"], r.select_one(".old").text, r.select_one(".new").text)
            for r in change.select("tr[data-field]")
        ]
        for change in changes
    ]
    assert diffs == [
        [("city", "—", "Lyon"), ("tags", "—", "vote, budget")],
        [("title", original.title, "Second title")],
    ]
    assert all("alice" in change.text for change in changes)
    # restore the version before the first change: the original comes back, as a new change
    first_change = changes[-1]
    form = first_change.find_all("form")[-1]
    data = {i["name"]: i["value"] for i in form.find_all("input")}
    assert data["state"] == "before"
    assert alice.post(form["action"], data=data).status_code == 302
    assert store.get("pb-draft").to_mapping() == original.to_mapping()
    newest = BeautifulSoup(
        alice.get("/editor/entries/pb-draft/history").get_data(as_text=True), "html.parser"
    ).select("li.change")
    assert len(newest) == 3 and "restore" in newest[0].text
    # a restore from a page that is out of date is refused
    assert alice.post(form["action"], data=data).status_code == 303
    assert store.get("pb-draft").to_mapping() == original.to_mapping()


# --- suggestions ------------------------------------------------------------------------------


def test_suggestions_come_from_the_thesaurus_and_the_country_with_reasons(alice):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        alice.get("/editor/entries/pb-draft").get_data(as_text=True), "html.parser"
    )
    found = {
        (li["data-field"], li["data-value"]): li.select_one(".why").text.strip()
        for li in page.select("li.suggestion")
    }
    assert "participatory budgeting" in found[("themes", "citizen-participation")]
    assert found[("region", "north-america")].startswith("from the country")


def test_suggestions_come_from_similar_tagged_entries(editor_home):
    from indexer.search import SearchEngine
    from indexer.tagging import suggest_tags

    with SearchEngine(editor_home) as engine:
        entry = CorpusStore(editor_home.corpus_dir).get("compost-draft")
        suggestions = suggest_tags(engine, entry)
    first = suggestions[0]
    assert (first.field, first.value) == ("themes", "water-waste")
    assert set(first.similar) == {"compost-0", "compost-1", "compost-2"}


def test_accepting_a_suggestion_is_one_button_and_keeps_unsaved_edits(alice, store):
    pairs = with_values(edit_form(alice, "pb-draft"), city="Toronto")
    answer = alice.post(
        "/editor/entries/pb-draft",
        data=MultiDict([*pairs, ("accept", "themes:citizen-participation")]),
    )
    assert answer.status_code == 302
    stored = store.get("pb-draft")
    assert stored.themes == ["citizen-participation"] and stored.city == "Toronto"
    alice.post(
        "/editor/entries/pb-draft",
        data=MultiDict([*edit_form(alice, "pb-draft"), ("accept", "region:north-america")]),
    )
    assert store.get("pb-draft").region == "north-america"


# --- bulk tagging -------------------------------------------------------------------------------


def test_bulk_tagging_changes_the_ticked_entries_and_reports_stale_ones(editor_app, alice, store):
    page = alice.get("/editor/search?q=zebrafish").get_data(as_text=True)
    pairs = form_data(page, "bulk-form")
    assert {v for k, v in pairs if k.startswith("version__")} == {
        store.get("bulk-a").version,
        store.get("bulk-b").version,
    }
    pairs = with_values(pairs, op="add", field="themes", bulk_theme="environment-energy")
    pairs += [("pick", "bulk-a"), ("pick", "bulk-b")]
    answer = alice.post("/editor/search", data=MultiDict(pairs))
    assert answer.status_code == 200
    assert store.get("bulk-a").themes == ["open-data", "environment-energy"]
    assert store.get("bulk-b").themes == ["environment-energy"]  # drafts included
    # someone changes bulk-b after the page was shown: it is reported, not overwritten
    page = alice.get("/editor/search?q=zebrafish").get_data(as_text=True)
    bob = editor_app.test_client()
    login(bob, "bob")
    save(bob, "bulk-b", with_values(edit_form(bob, "bulk-b"), tags="bob"))
    pairs = with_values(form_data(page, "bulk-form"), op="add", field="tags", bulk_tag="fish")
    answer = alice.post(
        "/editor/search", data=MultiDict([*pairs, ("pick", "bulk-a"), ("pick", "bulk-b")])
    )
    assert "bulk-b" in answer.get_data(as_text=True).split('id="bulk-stale"')[1].split("</p>")[0]
    assert store.get("bulk-a").tags == ["fish"]
    assert store.get("bulk-b").tags == ["bob"]
    # and removing works the same way
    pairs = with_values(
        form_data(alice.get("/editor/search?q=zebrafish").get_data(as_text=True), "bulk-form"),
        op="remove",
        field="themes",
        bulk_theme="environment-energy",
    )
    alice.post("/editor/search", data=MultiDict([*pairs, ("pick", "bulk-a"), ("pick", "bulk-b")]))
    assert (store.get("bulk-a").themes, store.get("bulk-b").themes) == (["open-data"], [])
    assert "bulk-a" in public_ids(editor_app.test_client(), q="zebrafish", theme="open-data")

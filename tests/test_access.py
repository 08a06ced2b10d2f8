"""Who may see and change what: anonymous visitors read published entries only (a draft is a 404
and absent from every list, count and export); the editors' area and API need the editor role;
a revoked token or a disabled account stops working at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import make_home
from tests.editor_support import login, prepare_home

DRAFT = "pb-draft"  # the only entry about participatory budgeting
PUBLISHED_TWIN, DRAFT_TWIN = "bulk-a", "bulk-b"  # both about a zebrafish registry


def _app(folder: Path):
    from webui import create_app

    home = make_home(folder / "home", demo=False)
    accounts = prepare_home(home, folder)
    app = create_app(home, {"TESTING": True})
    app.config["ACCOUNTS"] = accounts
    return app


@pytest.fixture(scope="module")
def access_app(tmp_path_factory):
    """Read-only tests share one home (accounts hash slowly, on purpose)."""
    app = _app(tmp_path_factory.mktemp("access"))
    yield app
    app.extensions["observatory"].close()


@pytest.fixture
def anonymous(access_app):
    return access_app.test_client()


@pytest.mark.parametrize(
    "path", [f"/entries/{DRAFT}", f"/api/entries/{DRAFT}", f"/api/entries/{DRAFT}/similar"]
)
def test_a_draft_is_not_found_for_anonymous_visitors(anonymous, path):
    assert anonymous.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/search",
        "/feeds/search.atom",
        "/export.csv",
        "/export.json",
        "/api/trends",
        "/trends",
    ],
)
@pytest.mark.parametrize("extra", [{}, {"status": "draft"}, {"include_drafts": "1"}])
def test_drafts_are_absent_from_every_list(anonymous, path, extra):
    for words in ("participatory budgeting", "zebrafish registry"):
        answer = anonymous.get(path, query_string={"q": words, **extra})
        assert answer.status_code in (200, 400), (path, answer.status_code)
        text = answer.get_data(as_text=True)
        assert DRAFT not in text and DRAFT_TWIN not in text, (path, extra)
        assert "Participatory budgeting in the neighbourhoods" not in text, (path, extra)
    api = anonymous.get("/api/search", query_string={"q": "zebrafish registry"}).get_json()
    assert [hit["id"] for hit in api["results"]] == [PUBLISHED_TWIN]


def test_trend_counts_leave_drafts_out(anonymous):
    """The zebrafish registry: one published (2020), one draft (2021)."""
    answer = anonymous.get(
        "/api/trends", query_string={"q": "zebrafish registry", "facet": "type"}
    ).get_json()
    points = [(p["period"], p["count"]) for s in answer["series"] for p in s["points"]]
    assert points == [("2020", 1)]


def test_similar_lists_leave_drafts_out(anonymous):
    similar = anonymous.get(f"/api/entries/{PUBLISHED_TWIN}/similar").get_json()
    ids = [
        hit["id"]
        for hit in (similar.get("results", similar) if isinstance(similar, dict) else similar)
    ]
    assert DRAFT_TWIN not in ids
    assert DRAFT_TWIN not in anonymous.get(f"/entries/{PUBLISHED_TWIN}").get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/editor/", f"/editor/entries/{DRAFT}", f"/editor/entries/{DRAFT}/history", "/editor/search"],
)
def test_the_editor_area_needs_a_login_and_the_editor_role(access_app, path):
    anonymous = access_app.test_client()
    answer = anonymous.get(path)
    assert answer.status_code == 302 and "/editor/login" in answer.headers["Location"]
    viewer = access_app.test_client()
    assert login(viewer, "vic").status_code == 302
    assert viewer.get(path).status_code == 403
    editor = access_app.test_client()
    assert login(editor, "alice").status_code == 302
    assert editor.get(path).status_code == 200


def _patch(client, token: str | None, title: str = "Changed"):
    etag = client.get(f"/api/entries/{PUBLISHED_TWIN}").headers["ETag"]
    headers = {"If-Match": etag, "Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.patch(
        f"/api/entries/{PUBLISHED_TWIN}", data=json.dumps({"title": title}), headers=headers
    )


def test_the_editor_api_needs_a_live_token_of_an_editor(tmp_path):
    app = _app(tmp_path)
    anonymous = app.test_client()
    accounts = app.config["ACCOUNTS"]
    _, editor_token = accounts.create_token("alice")
    _, viewer_token = accounts.create_token("vic")
    assert _patch(anonymous, None).status_code == 401
    assert _patch(anonymous, "obs_" + "0" * 43).status_code == 401
    assert _patch(anonymous, viewer_token).status_code == 403
    assert _patch(anonymous, editor_token, "Changed once").status_code == 200
    token_id = next(t.id for t in accounts.tokens("alice"))
    accounts.revoke_token(token_id)
    assert _patch(anonymous, editor_token, "Changed twice").status_code == 401
    _, fresh = accounts.create_token("bob")
    accounts.set_active("bob", False)
    assert _patch(anonymous, fresh, "Changed thrice").status_code in (401, 403)
    title = anonymous.get(f"/api/entries/{PUBLISHED_TWIN}").get_json()["title"]
    assert title == "Changed once"
    app.extensions["observatory"].close()


def test_a_draft_cannot_be_read_through_the_editor_api_without_a_token(anonymous):
    assert anonymous.patch(f"/api/entries/{DRAFT}", data="{}").status_code in (401, 404)
    assert DRAFT not in anonymous.patch(f"/api/entries/{DRAFT}", data="{}").get_data(as_text=True)


def test_an_oversized_request_body_is_refused_before_it_is_read(tmp_path):
    """A valid token must not let anyone make a worker hold a gigabyte of JSON."""
    app = _app(tmp_path)
    client = app.test_client()
    _, token = app.config["ACCOUNTS"].create_token("alice")
    etag = client.get(f"/api/entries/{PUBLISHED_TWIN}").headers["ETag"]
    body = json.dumps({"title": "Big", "padding": "x" * 3_000_000})
    answer = client.patch(
        f"/api/entries/{PUBLISHED_TWIN}",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "If-Match": etag,
            "Content-Type": "application/json",
        },
    )
    assert answer.status_code == 413 and answer.is_json
    assert client.get(f"/api/entries/{PUBLISHED_TWIN}").get_json()["title"] != "Big"
    app.extensions["observatory"].close()

"""PATCH /api/entries/<id> (contract section 5): tokens, roles, If-Match, 412/428/422,
write-through; and several editors saving one entry at once against a live
server (gunicorn, several worker processes) with no change lost."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from editor_support import PASSWORD, prepare_home

from corpus.history import History
from corpus.store import CorpusStore
from observatory.home import Home


@pytest.fixture
def api_home(small_home, tmp_path):
    accounts = prepare_home(small_home, tmp_path)
    accounts.add_user("dave", "editor", PASSWORD)
    tokens = {name: accounts.create_token(name)[1] for name in ("alice", "vic", "dave")}
    revoked_id, tokens["revoked"] = accounts.create_token("bob")
    accounts.revoke_token(revoked_id)
    accounts.set_active("dave", False)
    small_home.tokens = tokens
    return small_home


@pytest.fixture
def client(api_home):
    from webui import create_app

    app = create_app(api_home, {"TESTING": True})
    yield app.test_client()
    app.extensions["observatory"].close()


def patch(client, entry_id, body, *, token=None, etag=None, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-Match"] = etag
    return client.patch(
        f"/api/entries/{entry_id}",
        data=raw if raw is not None else json.dumps(body),
        headers=headers,
    )


def stored(home, entry_id):
    return CorpusStore(home.corpus_dir).get(entry_id)


@pytest.mark.parametrize(
    "who, status", [(None, 401), ("garbage", 401), ("revoked", 401), ("vic", 403), ("dave", 403)]
)
def test_who_may_patch(client, api_home, who, status):
    token = api_home.tokens.get(who, "obs_not-a-real-token") if who else None
    before = stored(api_home, "bulk-a")
    answer = patch(client, "bulk-a", {"title": "Changed"}, token=token, etag=f'"{before.version}"')
    assert answer.status_code == status
    assert "error" in answer.get_json()
    if status == 401:
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(api_home, "bulk-a") == before


def test_a_patch_answers_the_new_entry_and_etag_and_is_searchable_at_once(client, api_home):
    before = stored(api_home, "bulk-a")
    answer = patch(
        client,
        "bulk-a",
        {"title": "Quokka census", "themes": ["open-data", "environment-energy"], "summary": None},
        token=api_home.tokens["alice"],
        etag=f'"{before.version}"',
    )
    assert answer.status_code == 200, answer.get_json()
    after = stored(api_home, "bulk-a")
    assert answer.get_json() == after.to_mapping()
    assert answer.headers["ETag"] == f'"{after.version}"'
    assert (after.title, after.themes, after.summary) == (
        "Quokka census",
        ["open-data", "environment-energy"],
        "",
    )
    found = client.get("/api/search?q=quokka").get_json()
    assert [hit["id"] for hit in found["results"]] == ["bulk-a"]
    assert client.get("/api/entries/bulk-a").headers["ETag"] == answer.headers["ETag"]
    [change] = History(api_home.database_path).of_entry("bulk-a")
    assert (change.user, change.action, [d["field"] for d in change.diff]) == (
        "alice",
        "api",
        ["title", "summary", "themes"],
    )


def test_a_weak_or_unquoted_etag_is_accepted(client, api_home):
    version = stored(api_home, "bulk-a").version
    assert (
        patch(
            client,
            "bulk-a",
            {"city": "Perth"},
            token=api_home.tokens["alice"],
            etag=f'W/"{version}"',
        ).status_code
        == 200
    )
    version = stored(api_home, "bulk-a").version
    assert (
        patch(
            client, "bulk-a", {"city": "Hobart"}, token=api_home.tokens["alice"], etag=version
        ).status_code
        == 200
    )


def test_a_stale_etag_is_refused_with_412_and_the_current_version(client, api_home):
    old = stored(api_home, "bulk-a").version
    assert (
        patch(
            client, "bulk-a", {"city": "Perth"}, token=api_home.tokens["alice"], etag=old
        ).status_code
        == 200
    )
    current = stored(api_home, "bulk-a")
    answer = patch(client, "bulk-a", {"city": "Darwin"}, token=api_home.tokens["alice"], etag=old)
    assert answer.status_code == 412
    assert answer.headers["ETag"] == f'"{current.version}"'
    assert answer.get_json()["current"]["city"] == "Perth"
    assert stored(api_home, "bulk-a") == current


@pytest.mark.parametrize("etag", [None, "*"])
def test_a_missing_if_match_is_428(client, api_home, etag):
    before = stored(api_home, "bulk-a")
    answer = patch(client, "bulk-a", {"city": "Perth"}, token=api_home.tokens["alice"], etag=etag)
    assert answer.status_code == 428
    assert stored(api_home, "bulk-a") == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"country": "ZZ"}, "country"),
        ({"themes": ["not-a-theme"]}, "themes"),
        ({"status": "archived"}, "status"),
        ({"title": ""}, "title"),
        ({"id": "other-id"}, "id"),
        ({"published": "2020-02-30"}, "published"),
        ({"tags": {"a": 1}}, "tags"),
    ],
)
def test_an_invalid_value_is_422_naming_the_field_and_nothing_is_written(
    client, api_home, body, field
):
    before = stored(api_home, "bulk-a")
    answer = patch(client, "bulk-a", body, token=api_home.tokens["alice"], etag=before.version)
    assert answer.status_code == 422
    assert answer.get_json()["field"] == field and field in answer.get_json()["error"]
    assert stored(api_home, "bulk-a") == before
    assert History(api_home.database_path).of_entry("bulk-a") == []


def test_a_body_that_is_not_an_object_is_400_and_a_missing_entry_404(client, api_home):
    version = stored(api_home, "bulk-a").version
    assert (
        patch(
            client, "bulk-a", None, raw="[1, 2]", token=api_home.tokens["alice"], etag=version
        ).status_code
        == 400
    )
    assert (
        patch(client, "no-such-entry", {}, token=api_home.tokens["alice"], etag=version).status_code
        == 404
    )


def test_drafts_can_be_published_through_the_api(client, api_home):
    draft = stored(api_home, "bulk-b")
    answer = patch(
        client,
        "bulk-b",
        {"status": "published"},
        token=api_home.tokens["alice"],
        etag=draft.version,
    )
    assert answer.status_code == 200
    assert client.get("/api/entries/bulk-b").status_code == 200


# --- several editors at once, on a live server ----------------------------------------------


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.load(error)


@pytest.fixture
def live_editor_server(api_home, tmp_path):
    from webui.server import ServerProcess

    log = open(tmp_path / "server.log", "w", encoding="utf-8")
    try:
        with ServerProcess(api_home.path, log=log) as server:
            yield server.url
    finally:
        log.close()


def test_concurrent_patches_of_one_entry_lose_no_change(api_home, live_editor_server):
    base = live_editor_server
    token = api_home.tokens["alice"]
    editors = 8
    refusals = [0] * editors
    errors: list[str] = []
    start = threading.Barrier(editors)

    def add_tag(n: int) -> None:
        start.wait()
        for _attempt in range(100):
            status, headers, entry = http("GET", f"{base}/api/entries/bulk-a")
            tags = [*entry.get("tags", []), f"editor-{n}"]
            status, headers, answer = http(
                "PATCH",
                f"{base}/api/entries/bulk-a",
                {"tags": tags},
                {
                    "Authorization": f"Bearer {token}",
                    "If-Match": headers["ETag"],
                    "Content-Type": "application/json",
                },
            )
            if status == 200:
                return
            if status != 412:
                errors.append(f"{n}: {status} {answer}")
                return
            refusals[n] += 1
        errors.append(f"{n}: gave up")

    threads = [threading.Thread(target=add_tag, args=(n,)) for n in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = CorpusStore(Home(api_home.path).corpus_dir).get("bulk-a")
    assert sorted(final.tags) == sorted(f"editor-{n}" for n in range(editors))
    changes = History(api_home.database_path).of_entry("bulk-a")
    assert len(changes) == editors  # one recorded change per successful save, none lost
    assert [c.from_version for c in changes[:-1]] == [c.to_version for c in changes[1:]]  # a chain
    status, headers, served = http("GET", f"{base}/api/entries/bulk-a")
    assert headers["ETag"] == f'"{final.version}"' and served == final.to_mapping()


def test_an_editor_token_reads_a_draft_and_its_etag_anonymous_gets_404(client, api_home):
    draft = stored(api_home, "web-fixture-draft-entry")
    assert draft.status == "draft"
    assert client.get("/api/entries/web-fixture-draft-entry").status_code == 404
    viewer = client.get(
        "/api/entries/web-fixture-draft-entry",
        headers={"Authorization": f"Bearer {api_home.tokens['vic']}"},
    )
    assert viewer.status_code == 404
    answer = client.get(
        "/api/entries/web-fixture-draft-entry",
        headers={"Authorization": f"Bearer {api_home.tokens['alice']}"},
    )
    assert answer.status_code == 200 and answer.headers["ETag"] == f'"{draft.version}"'
    published = patch(
        client,
        "web-fixture-draft-entry",
        {"status": "published"},
        token=api_home.tokens["alice"],
        etag=answer.headers["ETag"],
    )
    assert published.status_code == 200

"""The editors' services as the web sees them: accounts, login throttle, history, editing.

Made once per app on first use (like `webui.services`), all over the home's
SQLite file and corpus store; saves write through to the app's search engine.
"""

from __future__ import annotations

import threading

from flask import current_app

from webui.services import get_services

EXTENSION = "observatory_workspace"
_lock = threading.Lock()


class Workspace:
    def __init__(self, services):
        from corpus.accounts import Accounts
        from corpus.editing import Editing
        from corpus.history import History
        from corpus.throttle import LoginThrottle

        path = services.home.database_path
        self.services = services
        self.accounts = Accounts(path)
        self.throttle = LoginThrottle(path)
        self.history = History(path)
        self.editing = Editing(services.store, self.history, index=self._index)

    def _index(self, entries, deleted_ids) -> None:
        self.services.engine.index_entries(entries, deleted_ids)


def get_workspace() -> Workspace:
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        with _lock:
            found = current_app.extensions.get(EXTENSION)
            if found is None:
                found = current_app.extensions[EXTENSION] = Workspace(get_services())
    return found

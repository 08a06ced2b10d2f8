"""Imports flow one way: observatory <- corpus <- indexer <- webui (the CLI composes them).
Flask only in webui/, Whoosh only in indexer/."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["observatory", "corpus", "indexer", "webui"]
ALLOWED_ANYWHERE = {"observatory/cli.py"}  # the composition root


def imported_modules(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_layers_import_only_downwards():
    problems = []
    for layer_index, layer in enumerate(ORDER):
        for path in sorted((ROOT / layer).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative in ALLOWED_ANYWHERE:
                continue
            for module in imported_modules(path):
                if module in ORDER and ORDER.index(module) > layer_index:
                    problems.append(f"{relative} imports {module}")
                if module == "flask" and layer != "webui":
                    problems.append(f"{relative} imports flask")
                if module == "whoosh" and layer != "indexer":
                    problems.append(f"{relative} imports whoosh")
    assert problems == []

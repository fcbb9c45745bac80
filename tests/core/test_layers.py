"""core/ holds cross-app helpers: it imports none of the domain apps (imports flow the other way)."""

import ast
from pathlib import Path

from django.conf import settings

DOMAIN_APPS = {"districts", "accounts", "meetings", "questions", "reports", "notifications", "bench"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_domain_app():
    offending = {
        f"{path.relative_to(settings.BASE_DIR)}: {module}"
        for path in (Path(settings.BASE_DIR) / "core").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in DOMAIN_APPS
    }
    assert offending == set()

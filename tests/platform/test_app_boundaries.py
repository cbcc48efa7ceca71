"""The arrows between apps run one way: clients builds on volunteers, not the reverse."""

import ast
from pathlib import Path

from tests.support.processes import ROOT


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_volunteers_do_not_import_clients():
    offenders = {
        path: names for path, names in imported_modules(ROOT / "volunteers").items() if "clients" in names
    }
    assert not offenders, offenders


def test_the_demo_seeding_names_no_domain_app():
    command = ROOT / "livingwell" / "accounts" / "management" / "commands"
    offenders = {
        path: names & {"clients", "risks", "volunteers", "meetings"}
        for path, names in imported_modules(command).items()
        if names & {"clients", "risks", "volunteers", "meetings"}
    }
    assert not offenders, offenders

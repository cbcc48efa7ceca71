"""The arrows run one way: domain apps import the platform (`livingwell`), never the
reverse; and among the domain apps, clients builds on volunteers, never the reverse.

The reports (`livingwell/reports/`), records management (`livingwell/records/`) and the
installable app (`livingwell/offline/`) are the parts of the project above the domain apps:
the reports read every app's tables to count, records management reads them to copy what is
held about a person and to anonymise records kept past their time, the installable app
draws the report form for the phone to keep and tells the phone whom the volunteer visits;
no domain app imports any of them."""

import ast
from pathlib import Path

from tests.support.processes import ROOT

DOMAIN_APPS = {"clients", "risks", "volunteers", "meetings", "stories"}


def imports_of(path: Path, apps: set[str]) -> list[str]:
    """The imports of `apps` a module makes, at any depth (inside functions too)."""
    found = []
    label = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{label}:{node.lineno} imports {name}" for name in names if name.split(".")[0] in apps]
    return found


REPORTS = ROOT / "livingwell" / "reports"
RECORDS = ROOT / "livingwell" / "records"
OFFLINE = ROOT / "livingwell" / "offline"


def modules_of(folder: str) -> list[Path]:
    return [path for path in sorted((ROOT / folder).rglob("*.py")) if "migrations" not in path.parts]


def test_no_platform_module_imports_a_domain_app():
    modules = [
        path
        for path in modules_of("livingwell")
        if not any(path.is_relative_to(above) for above in (REPORTS, RECORDS, OFFLINE))
    ]
    assert len(modules) > 20, "the walk found too few modules: is ROOT right?"
    assert [line for path in modules for line in imports_of(path, DOMAIN_APPS)] == []


def test_no_domain_app_imports_the_reports():
    modules = [path for app in sorted(DOMAIN_APPS) for path in modules_of(app)]
    assert len(modules) > 20, "the walk found too few modules: is ROOT right?"
    found = [
        line
        for path in modules
        for line in imports_of(path, {"livingwell"})
        if ".reports" in line or ".records" in line or ".offline" in line
    ]
    assert found == []


def test_volunteers_do_not_import_clients():
    modules = modules_of("volunteers")
    assert len(modules) > 5, "the walk found too few modules: is ROOT right?"
    assert [line for path in modules for line in imports_of(path, {"clients"})] == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from risks.selectors import triage_queue\n    import clients.models\n")
    assert len(imports_of(module, DOMAIN_APPS)) == 2

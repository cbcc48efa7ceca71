"""The arrows run one way: domain apps import the platform (`livingwell`), never the
reverse. The one exception is the demo seeding command, which sits above the apps."""

import ast
from pathlib import Path

from tests.support.processes import ROOT

DOMAIN_APPS = {"clients", "risks", "volunteers", "meetings"}
ALLOWED = {Path("livingwell/accounts/management/commands/seed_demo.py")}


def domain_imports(path: Path) -> list[str]:
    """The domain apps a module imports, at any depth (inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
            for name in names
            if name.split(".")[0] in DOMAIN_APPS
        ]
    return found


def test_no_platform_module_imports_a_domain_app():
    modules = [
        path
        for path in sorted((ROOT / "livingwell").rglob("*.py"))
        if path.relative_to(ROOT) not in ALLOWED and "migrations" not in path.parts
    ]
    assert len(modules) > 20, "the walk found too few modules: is ROOT right?"
    imports = [line for path in modules for line in domain_imports(path)]
    assert imports == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = ROOT / "livingwell" / "_layers_probe.py"
    module.write_text("def f():\n    from risks.selectors import triage_queue\n    import clients.models\n")
    try:
        assert len(domain_imports(module)) == 2
    finally:
        module.unlink()

"""The pure results modules import only the standard library and each other."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PURE = ["privacy", "protected_tables", "charts", "quotes", "aggregate_rules"]
PACKAGE = Path(__file__).resolve().parents[2] / "inspraak" / "results"


@pytest.mark.parametrize("name", PURE)
def test_pure_module_imports_neither_flask_nor_the_database(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: another pure module of this package
                assert node.module in PURE, node.module
                continue
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            assert top == "__future__" or top in sys.stdlib_module_names or module.startswith("inspraak.core"), module

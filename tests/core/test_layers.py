"""The layer contracts of docs/architecture.md (`.importlinter`) hold, and they catch a domain app
that imports another's views or models."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=src.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_its_layers():
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_domain_app_importing_another_apps_views_or_models_is_refused(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "thidua",
        src / "thidua",
        ignore=shutil.ignore_patterns("locale", "static", "templates", "__pycache__"),
    )
    selectors = src / "thidua" / "practices" / "selectors.py"
    selectors.write_text(
        selectors.read_text(encoding="utf-8")
        + "\nfrom thidua.initiatives.views import call_list  # noqa\n"
        + "from thidua.movements.models import Movement  # noqa\n",
        encoding="utf-8",
    )
    result = _lint(src)
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert (
        "practices uses other domain apps only through their selectors and services BROKEN" in out
    )
    assert "thidua.practices.selectors -> thidua.initiatives.views" in out
    assert "thidua.practices.selectors -> thidua.movements.models" in out


def test_a_lower_layer_importing_a_higher_one_is_refused(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "thidua",
        src / "thidua",
        ignore=shutil.ignore_patterns("locale", "static", "templates", "__pycache__"),
    )
    text = src / "thidua" / "core" / "text.py"
    text.write_text(
        text.read_text(encoding="utf-8") + "\nfrom thidua.shared.models import Field  # noqa\n",
        encoding="utf-8",
    )
    result = _lint(src)
    assert result.returncode == 1
    assert "thidua.core is not allowed to import thidua.shared" in result.stdout

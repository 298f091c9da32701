"""The default rule base is found in a checkout and inside an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from engine import default_rules_dir

ROOT = Path(__file__).resolve().parent.parent


def test_in_a_checkout_the_default_rule_base_is_rules_dir():
    assert default_rules_dir() == ROOT / "rules"


def test_the_wheel_carries_the_rule_base_and_finds_it(tmp_path):
    build = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
                           capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("treaty_engine-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        shipped = {f"engine/rules/{p.name}" for p in (ROOT / "rules").glob("*.rules")}
        assert len(shipped) == 14 and shipped | {"engine/language/grammar.lark"} <= names
        assert {"engine/outputs/templates/timeline.svg.j2", "engine/outputs/templates/report.html.j2",
                "engine/serve/templates/page.html.j2", "engine/serve/static/app.js"} <= names  # templates ship too
        zf.extractall(tmp_path / "site")
    # run from elsewhere, importing the unpacked wheel: the rules come from inside the package
    probe = subprocess.run(
        [sys.executable, "-c", "import engine, sys; print(engine.default_rules_dir()); sys.argv=['treaty','lint'];"
                               "from engine.tools.cli import main; main()"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""})
    assert probe.returncode == 0, probe.stderr
    where, summary = probe.stdout.splitlines()
    assert where == str(tmp_path / "site" / "engine" / "rules")
    assert summary.startswith("default rule base: 14 files, 15 instruments")

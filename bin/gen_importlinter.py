"""Regenerate .importlinter's domain layer line and one forbidden contract per domain app
(run from the repository root after adding an app or a public module: `.venv/bin/python
bin/gen_importlinter.py`; new apps go into `order`)."""

import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
path = root / ".importlinter"
text = path.read_text()
head = text[: text.index("[importlinter:contract:movements-alone]")]
order = [
    "movements",
    "initiatives",
    "practices",
    "honors",
    "surveys",
    "mobilization",
    "publishing",
    "cultural_titles",
    "training",
    "clusters",
    "reports",
]
src = root / "src" / "thidua"
apps = [a for a in order if (src / a / "apps.py").exists()]
extra = sorted(
    p.parent.name
    for p in src.glob("*/apps.py")
    if p.parent.name not in order + ["core", "org", "accounts", "shared", "demo", "api"]
)
if extra:
    sys.exit(f"unknown apps, add them to order: {extra}")
layer = "    " + " : ".join(f"thidua.{a}" for a in apps)
head = re.sub(r"^    thidua\.movements : .*$", layer, head, flags=re.M)
PUBLIC = re.compile(r"^(api|forms|models\w*|schemas|urls|views\w*)$")


def modules(app):
    found = []
    for p in sorted((src / app).iterdir()):
        name = p.stem if p.suffix == ".py" else p.name if (p / "__init__.py").exists() else None
        if name and PUBLIC.match(name):
            found.append(f"thidua.{app}.{name}")
    return sorted(set(found), key=lambda m: m)


out = [head.rstrip() + "\n"]
for app in apps:
    forbidden = [m for other in apps if other != app for m in modules(other)]
    out.append(
        f"\n[importlinter:contract:{app}-alone]\n"
        f"name = {app} uses other domain apps only through their selectors and services\n"
        "type = forbidden\nallow_indirect_imports = True\n"
        f"source_modules = thidua.{app}\nforbidden_modules =\n"
        + "".join(f"    {m}\n" for m in forbidden)
    )
path.write_text("".join(out))
print("apps:", apps)

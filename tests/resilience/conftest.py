"""The web tests' small force (``world``) and users, shared here without copying them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_path = Path(__file__).resolve().parent.parent / "web" / "conftest.py"
_spec = importlib.util.spec_from_file_location("resilience_web_fixtures", _path)
_web = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _web  # dataclasses look their module up there
_spec.loader.exec_module(_web)

# Fixtures only (not the web folder's hooks).
world = _web.world
user = _web.user
password = _web.password
World = _web.World
PASSWORD = _web.PASSWORD

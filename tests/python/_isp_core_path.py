"""Puts the addon folder on sys.path so its pure-Python ``lib`` imports without Odoo."""

import sys
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parents[2] / "isp_core"
if str(ADDON_DIR) not in sys.path:
    sys.path.insert(0, str(ADDON_DIR))

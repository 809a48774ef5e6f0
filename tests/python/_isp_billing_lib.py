"""Loads a module of isp_billing's pure-Python ``lib`` by its path: both addons name that package
``lib``, so it cannot sit on sys.path beside isp_core's."""

import importlib.util
from pathlib import Path

_LIB = Path(__file__).resolve().parents[2] / "isp_billing" / "lib"


def load(name):
    spec = importlib.util.spec_from_file_location(f"isp_billing_{name}", _LIB / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "corpus"
GOLD = SHARED / "gold" / "seeds.json"
REALDOCS = SHARED / "realdocs"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout (CI clones next to ../shared)")
    return path


@pytest.fixture(scope="session")
def gold():
    return json.loads(need(GOLD).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def realdocs():
    return need(REALDOCS)


# Property tests run derandomized in CI, so that a run is reproducible; locally they explore.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

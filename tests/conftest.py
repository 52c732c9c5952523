import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "corpus"
GOLD = SHARED / "gold" / "seeds.json"
REALDOCS = SHARED / "realdocs"


def generated_docs(out: Path, docs: int, seed: int, formats=("txt",), shares=(1.0,)) -> Path:
    """A national cascade of `docs` documents made by benchmarks/generate.py into `out`; its docs
    folder (the test skips where the generator cannot be imported)."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    generate = pytest.importorskip("generate", reason="benchmarks/generate.py not importable")
    generate.generate(docs, seed, out, tuple(formats), tuple(shares), jobs=1)
    return out / "docs"


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


@pytest.fixture
def english():
    """Each test starts in English whatever the machine's locale; `--lang` switches per call."""
    from cascade import i18n
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> str:
    """A store of the five seeds (corpus/), ingested once per session; tests only read it."""
    from cascade.ingest import ingest
    path = tmp_path_factory.mktemp("seed-store") / "c.db"
    ingest([SEEDS], path, workers=1)
    return str(path)


# ---------------------------------------------------------------------------- PostgreSQL
# a store named in the developer's environment must not become the tests' default store
os.environ.pop("CASCADE_DB", None)


@pytest.fixture(scope="session")
def pg_server():
    """One throw-away PostgreSQL server for the session (tests/pg.py); skips when Debian's
    postgresql package (scripts/setup.sh installs it) or psycopg is missing."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e .[postgres])")
    from tests.pg import PgServer, find_bindir
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL's initdb/pg_ctl are not installed (scripts/setup.sh installs the postgresql package)")
    server = PgServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Where a test's store lives, once per backend: an SQLite file, or a fresh PostgreSQL
    database on the session's server (a postgresql:// URL). Store(), ingest() and --db take either."""
    if request.param == "sqlite":
        return tmp_path / "t.db"
    return request.getfixturevalue("pg_server").new_database()


# Property tests run derandomized in CI, so that a run is reproducible; locally they explore.

from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


# ---------------------------------------------------------------------------- browser tests
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the whole session (Debian's chromium + chromium-driver, which
    scripts/setup.sh installs); tests that use it skip with the reason when either is missing."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")
    binary = next((p for p in CHROMIUM if Path(p).exists()), None)
    driver_path = next((p for p in CHROMEDRIVER if Path(p).exists()), None)
    if binary is None or driver_path is None:
        pytest.skip("chromium and chromium-driver are not installed (scripts/setup.sh installs them)")
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                "--lang=vi", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory):
    """Where screenshots go: $CASCADE_ARTEFACTS (CI keeps it) or a session tmp dir."""
    d = Path(os.environ["CASCADE_ARTEFACTS"]) if os.environ.get("CASCADE_ARTEFACTS") else tmp_path_factory.mktemp("artefacts")
    d.mkdir(parents=True, exist_ok=True)
    return d

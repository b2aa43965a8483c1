"""The worked example in docs/api.md runs as written: against the demo database, served on a
local port, with a token from the command the document names."""
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def python_example() -> str:
    [code] = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return code


@pytest.fixture
def demo_server(app, db):
    """The demo story in the test database, the app serving it on a free local port."""
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    created = runner.invoke(args=["api-tokens", "create", "hushaoyi", "--name", "12345热线"])
    assert created.exit_code == 0, created.output
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", created.output.strip()
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_the_documented_python_example_runs_against_the_demo(demo_server):
    url, token = demo_server

    result = subprocess.run([sys.executable, "-c", python_example()], capture_output=True,
                            text=True, timeout=120,
                            env={**os.environ, "TRACKER_URL": url, "TRACKER_TOKEN": token})

    assert result.returncode == 0, result.stderr
    filed, status, count = result.stdout.splitlines()
    assert re.fullmatch(r"filed DFHY-\d{4}-\d{3} \S+", filed)
    number, state, *_label, action, _at = status.split()
    assert filed.split()[1] == number and (state, action) == ("raised", "raise")
    assert count.endswith("hotline cases")

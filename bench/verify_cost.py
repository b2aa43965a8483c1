"""What one upload to the public /verify page costs: an issued minutes PDF, and files built to be
expensive to read (tests/helpers/hostile_pdfs.py).

    .venv/bin/python bench/verify_cost.py [--runs 5] [--unbounded-bomb]

For each file: its size, the time pyHanko takes to check it inside the worker (as the page did
before its checks were bounded), and the median time of the page's answer now (Flask test client,
no server): refused for its size, refused unparsed for its object count, or checked in a child
process cut off at VERIFY_SECONDS. The compressed cross-reference file takes about a minute and
two gigabytes to check unbounded, so that column is measured only with --unbounded-bomb.
"""
import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.hostile_pdfs import (  # noqa: E402
    with_appended_objects,
    with_compressed_xref_entries,
)
from tracker import create_app  # noqa: E402
from tracker.demo.story import load_story  # noqa: E402
from tracker.documents.signing import ensure_demo_identity, verify_pdf  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.meetings.models import MinutesDocument  # noqa: E402


def page_seconds(client, data: bytes, runs: int) -> tuple[float, int, str]:
    samples, status, reason = [], 0, ""
    for _ in range(runs):
        start = time.perf_counter()
        response = client.post("/verify/", data={"pdf": (io.BytesIO(data), "minutes.pdf")},
                               content_type="multipart/form-data")
        samples.append(time.perf_counter() - start)
        page = response.get_data(as_text=True)
        status = response.status_code
        reason = ("valid" if "verdict ok" in page else "invalid" if "verdict bad" in page
                  else "refused beside the field")
    return statistics.median(samples), status, reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--unbounded-bomb", action="store_true",
                        help="also check the compressed cross-reference file unbounded")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    identity = ensure_demo_identity(folder / "signing")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "SIGNING_CERT": str(identity.cert_path),
                      "SIGNING_KEY": str(identity.key_path),
                      "RATELIMIT_STORAGE_URI": "memory://",
                      "VERIFY_LIMIT_PER_ADDRESS": "10000 per hour",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        load_story()
        minutes = db.session.scalar(db.select(MinutesDocument)).pdf
    files = [
        ("issued minutes", minutes, True),
        ("330,000 appended objects", with_appended_objects(minutes, 330_000), True),
        ("110,000 appended objects", with_appended_objects(minutes, 110_000), True),
        ("2 M compressed xref entries", with_compressed_xref_entries(minutes, 2_000_000),
         args.unbounded_bomb),
    ]
    client = app.test_client()
    print(f"VERIFY_SECONDS={app.config['VERIFY_SECONDS']}, runs={args.runs}\n")
    print(f"{'file':<28} {'size':>9}  {'pyHanko in the worker':>22}  {'the page now':>13}  answer")
    for name, data, unbounded in files:
        if unbounded:
            start = time.perf_counter()
            verify_pdf(data, identity.cert_path)
            before = f"{time.perf_counter() - start:.2f} s"
        else:
            before = "(--unbounded-bomb)"
        now, status, answer = page_seconds(client, data, args.runs)
        print(f"{name:<28} {len(data) / 1024 / 1024:>6.2f} MB  {before:>22}  {now:>11.3f} s  "
              f"{status} {answer}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"\npeak memory: this process {peak} MB, the largest check process {children} MB")


if __name__ == "__main__":
    main()

"""Refuse loudly when PDFs would come out wrong: boxes instead of Chinese, or 30× slower."""
import shutil
import subprocess


class RenderingEnvironmentError(RuntimeError):
    pass


def missing_pdf_requirements() -> list[str]:
    """What this machine lacks for rendering Chinese PDFs properly (empty when all is there)."""
    problems = []
    from weasyprint.text import ffi
    if getattr(ffi, "harfbuzz_subset", None) is None:
        problems.append("libharfbuzz-subset0 is missing: WeasyPrint would embed whole fonts "
                        "and render 25–65× slower (apt-get install libharfbuzz-subset0)")
    if not shutil.which("fc-list"):
        problems.append("fontconfig's fc-list is missing (apt-get install fontconfig)")
    else:
        families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                  text=True, timeout=20).stdout
        if not families.strip():
            problems.append("no Chinese font is installed: minutes would print boxes "
                            "(apt-get install fonts-noto-cjk)")
    return problems


def require_pdf_environment() -> None:
    """:raise RenderingEnvironmentError: naming every missing piece."""
    problems = missing_pdf_requirements()
    if problems:
        raise RenderingEnvironmentError("; ".join(problems))

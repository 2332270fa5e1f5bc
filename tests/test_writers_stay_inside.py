"""Writers never reach outside the package, and the report never links to a script (issue 20, items 1-3).

Each case builds, in ``tmp_path``, a copy of the package beside a ``victim`` folder of someone's
files, plants a link, a device, a FIFO or a forged temporary file where a writer will look, runs
the command and asserts its exit code, the line it prints, and that nothing in the surrounding
folder changed: every entry's kind, link target and content, before and after (:func:`state`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest

import china_internet_trends as cit
from china_internet_trends import integrity, scratch
from china_internet_trends.cli import main
from conftest import edit_cell

WRITERS = {
    "refresh-hashes": lambda pkg, out: ["refresh-hashes", str(pkg)],
    "new-edition": lambda pkg, out: ["--package", str(pkg), "new-edition", "2031"],
    "export --force": lambda pkg, out: ["--package", str(pkg), "export", "--format", "sqlite", "--force", str(pkg)],
}
"""The commands that write inside the package (export writes into the package's own folder here)."""


def state(root: Path) -> dict[str, str]:
    """Every entry under ``root``: its kind, and a link's target or a file's sha256 (nothing followed, nothing opened
    but regular files)."""
    entries = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            mode = os.lstat(path).st_mode
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                entries[rel] = f"link -> {os.readlink(path)}"
            elif stat.S_ISREG(mode):
                entries[rel] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                entries[rel] = scratch.describe(mode)
    return entries


def outside(before: dict[str, str], after: dict[str, str], package: str = "package") -> dict[str, tuple]:
    """What changed outside the package folder."""
    keys = {k for k in before.keys() | after.keys() if not k.startswith(f"{package}/") and k != package}
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


LOCK_FILES = {f"package/{scratch.SCRATCH}", f"package/{scratch.SCRATCH}/{scratch.LOCK}"}
"""The writers' lock: an empty file in the scratch folder that stays (removing it would race a waiting writer)."""


def changed(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple]:
    """What changed anywhere, leaving out the lock file a writer made in a real scratch folder."""
    return {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()
            if before.get(k) != after.get(k) and not (k in LOCK_FILES and before.get(k) is None)}


def victim(tmp_path: Path) -> Path:
    """Someone's folder beside the package, with files whose names look like a writer's temporary files
    (a pid and a dash), a folder, and a forged marker naming a forged temporary file."""
    folder = tmp_path / "victim"
    (folder / "2019-backup").mkdir(parents=True)
    (folder / "2024-taxes.pdf").write_bytes(b"%PDF taxes")
    (folder / "12345-draft.docx").write_bytes(b"draft")
    (folder / "2019-backup" / "notes.txt").write_text("notes")
    (folder / "cit-999999-0123456789ab.part").write_bytes(b"looks like ours")
    (folder / "cit-999999-0123456789ab.mark").write_text("china-internet-trends temporary file: cit-999999-0123456789ab.part\n")
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# ----------------------------------------------------------------------------------------------
# 1. A scratch folder that is a link, a forged temporary file, a lock file that is a link


@pytest.mark.parametrize("writer", WRITERS)
def test_a_scratch_folder_that_is_a_link_is_refused_and_nothing_outside_changes(writer: str, package_copy: Path, capsys):
    folder = victim(package_copy.parent)
    (package_copy / scratch.SCRATCH).symlink_to("../victim")
    before = state(package_copy.parent)
    code, printed = run(WRITERS[writer](package_copy, package_copy), capsys)
    after = state(package_copy.parent)
    assert code == 1, printed
    assert f"error: refused: {package_copy / scratch.SCRATCH} is a link (to ../victim)" in printed
    assert outside(before, after) == {}
    assert changed(before, after) == {}, "a refused writer changed the package"
    assert (folder / "2024-taxes.pdf").read_bytes() == b"%PDF taxes"


@pytest.mark.parametrize("writer", WRITERS)
def test_clean_up_removes_only_marked_files_of_dead_writers(writer: str, package_copy: Path, capsys):
    """A real scratch folder holding a dead writer's temporary file and its marker, files of other names,
    a folder, a forged marker, a marked temporary file that is a link: only the first pair goes."""
    victim(package_copy.parent)
    tmp = package_copy / scratch.SCRATCH
    tmp.mkdir()
    dead = 999_999  # above any pid Linux hands out by default (pid_max 4,194,304 would allow it: check)
    assert not Path(f"/proc/{dead}").exists()
    (tmp / f"cit-{dead}-aaaaaaaaaaaa.part.json").write_text("half written")
    (tmp / f"cit-{dead}-aaaaaaaaaaaa.mark").write_text(f"china-internet-trends temporary file: cit-{dead}-aaaaaaaaaaaa.part.json\n")
    kept = {
        "12345-draft.docx": b"draft",                                         # a pid-like name, no marker
        f"cit-{dead}-bbbbbbbbbbbb.part": b"no marker",                       # our name, no marker
        f"cit-{dead}-cccccccccccc.mark": b"someone else's text\n",          # a marker that does not name its file
        f"cit-{dead}-cccccccccccc.part": b"kept",
    }
    for name, data in kept.items():
        (tmp / name).write_bytes(data)
    (tmp / "2019-backup").mkdir()
    (tmp / "2019-backup" / "notes.txt").write_text("notes")
    (tmp / f"cit-{dead}-dddddddddddd.part").symlink_to("../../victim/2024-taxes.pdf")  # marked, but a link
    (tmp / f"cit-{dead}-dddddddddddd.mark").write_text(f"china-internet-trends temporary file: cit-{dead}-dddddddddddd.part\n")
    before = state(package_copy.parent)
    code, printed = run(WRITERS[writer](package_copy, package_copy), capsys)
    after = state(package_copy.parent)
    assert code == 0, printed
    assert outside(before, after) == {}
    scratch_after = {k.split("/", 2)[2] for k in after if k.startswith(f"package/{scratch.SCRATCH}/")}
    assert f"cit-{dead}-aaaaaaaaaaaa.part.json" not in scratch_after and f"cit-{dead}-aaaaaaaaaaaa.mark" not in scratch_after
    assert set(kept) | {"2019-backup", "2019-backup/notes.txt", f"cit-{dead}-dddddddddddd.part",
                        f"cit-{dead}-dddddddddddd.mark"} <= scratch_after
    for name, data in kept.items():
        assert (tmp / name).read_bytes() == data


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(package_copy: Path, capsys):
    victim(package_copy.parent)
    (package_copy / scratch.SCRATCH).mkdir()
    (package_copy / scratch.SCRATCH / scratch.LOCK).symlink_to("../../victim/2024-taxes.pdf")
    before = state(package_copy.parent)
    code, printed = run(["refresh-hashes", str(package_copy)], capsys)
    assert code == 1 and "datapackage.json.lock is a link" in printed
    assert changed(before, state(package_copy.parent)) == {}


@pytest.mark.parametrize("level", ["datasets", "datasets/2031"])
def test_new_edition_refuses_a_link_at_any_level(level: str, package_copy: Path, capsys):
    folder = victim(package_copy.parent)
    target = package_copy / level
    if level == "datasets":  # the real datasets move into the victim's folder, and a link takes their place
        os.rename(target, folder / "datasets")
        target.symlink_to(folder / "datasets")
    else:
        target.symlink_to(folder)
    before = state(package_copy.parent)
    code, printed = run(["--package", str(package_copy), "new-edition", "2031"], capsys)
    assert code == 1, printed
    assert f"{target} is a link" in printed
    assert changed(before, state(package_copy.parent)) == {}


def test_export_refuses_a_target_folder_that_is_a_link(package_copy: Path, tmp_path: Path, capsys):
    folder = victim(tmp_path)
    (tmp_path / "out").symlink_to(folder)
    before = state(tmp_path)
    code, printed = run(["--package", str(package_copy), "export", "--format", "sqlite", "--force", str(tmp_path / "out")], capsys)
    assert code == 1 and f"{tmp_path / 'out'} is a link" in printed
    assert changed(before, state(tmp_path)) == {}


def test_writers_leave_no_scratch_folder_behind(package_copy: Path, tmp_path: Path, capsys):
    """The ordinary case: every writer succeeds and leaves neither temporary files nor markers."""
    edit_cell(package_copy / "datasets/themes.csv", 2, "definition", "changed on purpose")
    assert run(["refresh-hashes", str(package_copy)], capsys)[0] == 0
    assert run(["--package", str(package_copy), "new-edition", "2031"], capsys)[0] == 0
    assert run(["--package", str(package_copy), "export", "--format", "sqlite", str(tmp_path / "out")], capsys)[0] == 0
    leftovers = [p for p in [*package_copy.rglob("*"), *(tmp_path / "out").rglob("*")]
                 if scratch.SCRATCH in p.parts and p.name != scratch.LOCK and p != package_copy / scratch.SCRATCH]
    assert leftovers == []
    assert cit.validate(path=package_copy).valid


# ----------------------------------------------------------------------------------------------
# 2. The report never writes a script into an attribute


SCRIPTS = [
    "javascript:document.title='X'//",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "javascript:alert(1)//https://www.isc.org.cn/",
    "https://example.org/\njavascript:alert(1)",
    "ftp://example.org/file",
    "file:///etc/passwd",
]


def set_url(root: Path, url: str) -> None:
    edit_cell(root / "datasets/sources.csv", 2, "url", url)
    integrity.refresh(root)


@pytest.mark.parametrize("url", SCRIPTS, ids=repr)
def test_only_web_addresses_are_valid(url: str, package_copy: Path):
    set_url(package_copy, url)
    problems = cit.validate(path=package_copy).problems
    coded = [p for p in problems if p.code == "web-address"]
    assert len(coded) == 1, problems
    assert (coded[0].file, coded[0].row, coded[0].column, coded[0].value) == ("datasets/sources.csv", 2, "url", url)


class Attributes(HTMLParser):
    """Every attribute value of the page that a browser could follow or run."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value or "" for name, value in attrs if name in {"href", "src", "action", "formaction", "xlink:href"}]


def test_the_report_links_no_script_whatever_the_data_says(package_copy: Path, tmp_path: Path):
    """Every hostile address in the sources at once (unvalidated: the report renders what it is given)."""
    import csv

    path = package_copy / "datasets/sources.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row, url in zip(rows, SCRIPTS):
        row["url"] = url
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    integrity.refresh(package_copy)
    page = tmp_path / "report.html"
    assert main(["--package", str(package_copy), "report", "--html", str(page)]) == 0
    parser = Attributes()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.links, "the page links nothing: the parser saw no attribute"
    unsafe = [link for link in parser.links if not (link.startswith("#") or cit_web_address(link))]
    assert unsafe == []
    kept = {row["url"] for row in rows[len(SCRIPTS):] if cit_web_address(row["url"])}
    assert kept and kept <= set(parser.links), "the sources' own web addresses are no longer linked"


def cit_web_address(link: str) -> bool:
    return link.startswith(("http://", "https://")) and not any(ch.isspace() or not ch.isprintable() for ch in link)


# ----------------------------------------------------------------------------------------------
# 3. --force writes only to a regular file or a new path


def fifo(path: Path) -> None:
    os.mkfifo(path)


def device(path: Path) -> None:
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers


def link_to_a_victim_file(path: Path) -> None:
    path.symlink_to(path.parents[1] / "victim" / "2024-taxes.pdf")


def link_to_stdout(path: Path) -> None:
    path.symlink_to("/proc/self/fd/1")


def dangling_link(path: Path) -> None:
    path.symlink_to(path.parents[1] / "victim" / "new-file.html")


def folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("kept")


TARGETS: dict[str, tuple[Callable[[Path], None], str]] = {
    "FIFO": (fifo, "is a FIFO (named pipe), not a regular file"),
    "device": (device, "is a device, not a regular file"),
    "link to a file outside": (link_to_a_victim_file, "is a link (to "),
    "link to /proc/self/fd/1": (link_to_stdout, "is a link (to /proc/self/fd/1)"),
    "dangling link": (dangling_link, "is a link (to "),
    "folder": (folder, "is a folder, not a regular file"),
}


@pytest.mark.parametrize("kind", TARGETS)
def test_report_html_force_refuses_anything_but_a_regular_file(kind: str, tmp_path: Path, capsys):
    victim(tmp_path)
    (tmp_path / "work").mkdir()
    target = tmp_path / "work" / "report.html"
    make, message = TARGETS[kind]
    make(target)
    before = state(tmp_path)
    for force in (["--force"], []):
        code, printed = run(["report", "--html", str(target), *force], capsys)
        assert code == 1, printed
        assert f"error: refused: {target} {message}" in printed
        assert "Traceback" not in printed
    assert changed(before, state(tmp_path)) == {}


@pytest.mark.parametrize("kind", TARGETS)
def test_export_force_refuses_anything_but_a_regular_file_in_its_folder(kind: str, tmp_path: Path, capsys):
    victim(tmp_path)
    out = tmp_path / "work"
    out.mkdir()
    make, message = TARGETS[kind]
    make(out / "metadata.json")
    before = state(tmp_path)
    code, printed = run(["export", "--format", "sqlite", "--force", str(out)], capsys)
    assert code == 1, printed
    assert f"error: refused: {out / 'metadata.json'} {message}" in printed
    after = state(tmp_path)
    assert outside(before, after, package="work") == {}
    assert after["work/metadata.json"] == before["work/metadata.json"]


def test_report_html_force_replaces_a_regular_file(tmp_path: Path, capsys):
    target = tmp_path / "report.html"
    target.write_text("old")
    code, printed = run(["report", "--html", str(target), "--force"], capsys)
    assert code == 0, printed
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_report_html_with_an_empty_name_is_an_error(capsys):
    code, printed = run(["report", "--html", ""], capsys)
    assert code == 1 and printed.startswith("error: --html needs the name of the file"), printed


def test_the_device_case_in_a_fresh_process_shows_no_traceback(tmp_path: Path):
    """The CLI as a user runs it: one line on stderr, exit 1."""
    target = tmp_path / "null"
    device(target)
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "report", "--html", str(target), "--force"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: refused: {target} is a device, not a regular file; nothing was written"]
    assert stat.S_ISCHR(os.lstat(target).st_mode)

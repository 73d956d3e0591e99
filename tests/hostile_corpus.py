"""Generate the hostile-file corpus: >= 300 malformed or hostile files over every import path.

Nothing binary is committed: `build_corpus(folder)` writes the files at test time and
returns the cases, each (path kind, file). Kinds and the command each goes through:

- `sheet`: long answer sheets, CSV and XLSX (`sgaudit import`)
- `survey`: wide survey exports (`sgaudit import`)
- `register:<kind>`: the five registers (`sgaudit registers import`)
- `archive`: audit archives (`sgaudit import-archive`)
- `questions`: question set folders (`sgaudit questionnaires validate`)
- `template`: report templates (`sgaudit report --template`)

The mutations are the classes that broke readers before: encodings, sizes, extents,
zip tricks, formulas, control characters, surrogates, deep nesting, alias fan-out,
special files, and Jinja that hangs or explodes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

AREA = "North"
HEADER = ["interview_id", "tier", "service_area", "mode", "people", "question_id", "answer",
          "note", "consent"]  # fmt: skip
GOOD_ROW = ["FL-01", "front_line", AREA, "interview", "1", "REC-01", "agree", "fine", "yes"]
CORE = Path(__file__).resolve().parents[1] / "questionnaires" / "core"

NASTY_TEXT = [
    "=HYPERLINK(\"http://evil.example\")", " =1+1", "\n=1+1", "\uff1dcmd", "@SUM(A1)",
    "\x00nul", "\x0bvt\x0cff", "\x1b[31mred", "\ufeffbom", "\u202eright-to-left",
    "{{ 7*7 }}", "{% for %}", "<w:t>xml</w:t>", "&amp;", "\U0001f600", "a" * 40_000,
    "line\r\nbreak", "\t\ttabs", "'quoted", "\\ud800 escaped",
]  # fmt: skip
NASTY_PEOPLE = ["1e20", "-1", "0", "1.5", "nan", "inf", "99999999999999999999999", "ten",
                "1" * 400, ""]  # fmt: skip
NASTY_IDS = ["", " ", "a" * 5000, "../../etc/passwd", "jane.doe@example.org", "\x00", "FL-01\n"]


def _csv(rows: list[list[str]]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Answers"
    for row in rows:
        ws.append([None if v is None else v for v in row])
    wb.save(path)


def _clean_for_xlsx(value: str) -> str:
    return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")


def sheet_cases(folder: Path) -> list[tuple[str, Path]]:
    cases: list[tuple[str, Path]] = []
    n = iter(range(10_000))

    def add_csv(text: str | bytes, kind: str = "sheet") -> None:
        path = folder / f"sheet{next(n)}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        cases.append((kind, path))

    def add_xlsx(rows: list[list], kind: str = "sheet") -> Path:
        path = folder / f"sheet{next(n)}.xlsx"
        _xlsx(path, [[_clean_for_xlsx(str(v)) if v is not None else None for v in r]
                     for r in rows])  # fmt: skip
        cases.append((kind, path))
        return path

    good = _csv([HEADER, GOOD_ROW])
    for text in NASTY_TEXT:
        row = GOOD_ROW[:7] + [text, "yes"]
        add_csv(_csv([HEADER, row]))
        add_xlsx([HEADER, row])
    for people in NASTY_PEOPLE:
        row = GOOD_ROW[:4] + [people] + GOOD_ROW[5:]
        add_csv(_csv([HEADER, row]))
        add_xlsx([HEADER, row])
    for ident in NASTY_IDS:
        add_csv(_csv([HEADER, [ident, *GOOD_ROW[1:]]]))
    # encodings and bytes
    add_csv(good.encode("utf-16") + b"\x00")
    add_csv(good.encode("utf-16"))
    add_csv(good.encode("utf-16-be"))
    add_csv(good.encode("cp1252") + "caf\xe9".encode("cp1252"))
    add_csv(b"\xff\xfe\x00\xd8\x41\x00")  # a lone surrogate in UTF-16
    add_csv(b"\xef\xbb\xbf" + good.encode())
    add_csv(b"")
    add_csv(b"\x00" * 10_000)
    add_csv(os.urandom(4096))
    add_csv(good.replace("\n", "\r"))
    add_csv(good.replace(",", ";"))
    add_csv('interview_id,"tier\n' + "x" * 1000)
    add_csv(",".join(HEADER) + "\n")
    add_csv(",".join(HEADER + ["Interview ID"]) + "\n" + ",".join(GOOD_ROW + ["X"]) + "\n")
    add_csv(",".join(HEADER + HEADER) + "\n")
    add_csv(",".join(["c"] * 6000) + "\n")  # too wide
    add_csv(",".join(HEADER) + "\n" + "a," * 6000 + "\n")
    add_csv("x" * 200_000 + "\n")  # one field over the csv module's limit
    # long: many rows (valid and invalid), a few MB each
    rows = [HEADER] + [[f"FL-{i // 20}", *GOOD_ROW[1:5], "REC-01", "agree", "", "yes"]
                       for i in range(10_000)]  # fmt: skip
    add_csv(_csv(rows))
    rows[-1][6] = "perhaps"
    add_csv(_csv(rows))
    add_csv(_csv([HEADER] + [GOOD_ROW] * 20_000))  # one interview answering twice
    add_csv(("a," * 7 + "a\n") * 10_000)  # 160 KB of tiny cells
    # xlsx tricks
    path = add_xlsx([HEADER, GOOD_ROW])
    _far_cell(path, "XFD1048576")
    path = add_xlsx([HEADER, GOOD_ROW])
    _far_cell(path, "A1048576")
    path = add_xlsx([HEADER, GOOD_ROW[:7] + ['=CONCAT("a","b")', "yes"]])
    path = add_xlsx([HEADER, GOOD_ROW])
    _declare_dimension(path, "A1:XFD1048576")
    for mutate in (_zip_bomb, _encrypt, _truncate, _lzma, _nested, _many_entries, _garbage_xml):
        path = add_xlsx([HEADER, GOOD_ROW])
        mutate(path)
    add_xlsx([HEADER] + [[f"FL-{i // 20}", *GOOD_ROW[1:]] for i in range(5_000)])
    notxlsx = folder / f"sheet{next(n)}.xlsx"
    notxlsx.write_text(good)
    cases.append(("sheet", notxlsx))
    return cases


def survey_cases(folder: Path, question_ids: list[str]) -> list[tuple[str, Path]]:
    cases = []
    base = ["respondent", "tier", "service_area"]
    for i, width in enumerate([10, 200, 1000, 6000]):
        qs = (question_ids * (width // max(len(question_ids), 1) + 1))[:width]
        header = base + qs
        rows = [header] + [[f"R{r}", "front_line", AREA] + ["agree"] * width for r in range(50)]
        path = folder / f"survey{i}.csv"
        path.write_text(_csv(rows))
        cases.append(("survey", path))
    for i, text in enumerate(NASTY_TEXT + NASTY_PEOPLE):
        header = ["interview_id", "tier", "service_area", *question_ids[:5]]
        rows = [header, ["R1", "front_line", AREA, text, "agree", "agree", "x", ""]]
        for suffix in (".csv", ".xlsx"):
            path = folder / f"survey_n{i}{suffix}"
            if suffix == ".csv":
                path.write_bytes(_csv(rows).encode("utf-8", "surrogatepass"))
            else:
                _xlsx(path, [[_clean_for_xlsx(str(v)) for v in r] for r in rows])
            cases.append(("survey", path))
    wide = ["interview_id", "tier", "service_area", *[f"{q} " for q in question_ids[:50]]]
    path = folder / "survey_dup.csv"
    path.write_text(_csv([wide + wide[3:], ["R1", "front_line", AREA] + ["agree"] * 100]))
    cases.append(("survey", path))
    return cases


REGISTER_HEADERS = {
    "training": ["person_code", "role_group", "service_area", "start_date", "date", "hours",
                 "kind"],
    "recruitment": ["person_code", "paid_or_volunteer", "service_area", "start_date",
                    "dbs_level", "dbs_date", "references", "outcome"],
    "policies": ["document", "owner", "last_review", "next_review", "links"],
    "concerns": ["ref", "date_raised", "category", "service_area", "triage_date",
                 "referral_made", "referral_date", "outcome", "closed_date"],
    "complaints": ["ref", "type", "date_received", "stage_reached", "time_limits_met",
                   "feedback_given", "theme"],
}  # fmt: skip


def register_cases(folder: Path) -> list[tuple[str, Path]]:
    cases = []
    for kind, header in REGISTER_HEADERS.items():
        values = [
            "P-1", "2024-01-01", "99999-01-01", "1e20", "-5", "\x00", "=cmd", "a" * 40_000,
            "jane@example.org", "\ud800", "", "yes",
        ]  # fmt: skip
        for i, v in enumerate(values):
            row = [v] * len(header)
            path = folder / f"reg_{kind}_{i}.csv"
            path.write_bytes(_csv([header, row]).encode("utf-8", "surrogatepass"))
            cases.append((f"register:{kind}", path))
        path = folder / f"reg_{kind}_long.csv"
        path.write_text(_csv([header] + [[f"X-{r}"] + ["2024-01-01"] * (len(header) - 1)
                                         for r in range(5_000)]))  # fmt: skip
        cases.append((f"register:{kind}", path))
        path = folder / f"reg_{kind}_far.xlsx"
        _xlsx(path, [header])
        _far_cell(path, "XFD1048576")
        cases.append((f"register:{kind}", path))
        path = folder / f"reg_{kind}_bomb.xlsx"
        _xlsx(path, [header])
        _zip_bomb(path)
        cases.append((f"register:{kind}", path))
    return cases


def archive_cases(folder: Path, good: dict) -> list[tuple[str, Path]]:
    cases = []
    n = iter(range(10_000))

    def add(doc_or_bytes, extra: dict[str, bytes] | None = None, method=zipfile.ZIP_DEFLATED):
        path = folder / f"archive{next(n)}.zip"
        with zipfile.ZipFile(path, "w", compression=method) as zf:
            data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes)
            zf.writestr("audit.json", data)
            for name, blob in (extra or {}).items():
                zf.writestr(name, blob)
        cases.append(("archive", path))
        return path

    def mutated(fn: Callable[[dict], None]) -> dict:
        doc = json.loads(json.dumps(good))
        fn(doc)
        return doc

    paths = [
        ("format_version", 999), ("format", "other"), ("audit", None), ("interviews", "x"),
        ("interviews", [{}]), ("question_set", {}), ("registers", {"training": "x"}),
    ]  # fmt: skip
    for key, value in paths:
        add(mutated(lambda d, k=key, v=value: d.__setitem__(k, v)))
    for field in ("code", "tier", "service_area", "mode", "people", "held_on", "auditor"):
        for value in [None, "", 10**20, -1, "\ud800", "a" * 100_000, ["x"], {"a": 1},
                      "jane.doe@example.org"]:  # fmt: skip
            add(mutated(lambda d, f=field, v=value: d["interviews"][0].__setitem__(f, v)))
    for value in [None, "", "\x00", "\ud800", "=cmd", "a" * 1_000_000, 1, []]:
        add(mutated(lambda d, v=value: d["interviews"][0]["responses"][0].__setitem__("note", v)))
    add(mutated(lambda d: d["question_set"]["settings"].__setitem__("suppression_min", 1)))
    add(b"[" * 200_000 + b"]" * 200_000)  # JSON nested deeper than the parser's recursion
    add(b"{not json")
    add(b"\xff\xfe")
    add(good, {"inner.zip": _zip_bytes({"audit.json": json.dumps(good)})})
    add(good, {"padding.bin": b"\0" * (30 * 1024 * 1024)})
    add(good, method=zipfile.ZIP_LZMA)
    add(good, method=zipfile.ZIP_BZIP2)
    path = add(good)
    _encrypt(path)
    path = add(good)
    _truncate(path)
    path = folder / f"archive{next(n)}.zip"
    path.write_bytes(os.urandom(2048))
    cases.append(("archive", path))
    return cases


def question_set_cases(folder: Path) -> list[tuple[str, Path]]:
    cases = []
    n = iter(range(10_000))

    def variant(change: Callable[[Path], None]) -> None:
        target = folder / f"qset{next(n)}"
        shutil.copytree(CORE, target)
        change(target)
        cases.append(("questions", target))

    def write(name: str, text: str | bytes):
        def change(target: Path) -> None:
            path = target / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8", errors="surrogatepass")

        return change

    bomb = "a: &a [" + ",".join(["x"] * 10) + "]\n"
    for i in range(1, 9):
        bomb += f"b{i}: &b{i} [" + ",".join([f"*{'a' if i == 1 else f'b{i - 1}'}"] * 10) + "]\n"
    texts = [
        bomb, "theme: " + "[" * 1000 + "]" * 1000, "theme: " + "{a: " * 500 + "1" + "}" * 500,
        "a: !!python/object/apply:os.system ['true']", "theme: &x [*x]", "\x00\x01\x02",
        "theme:\n\tid: tabs", "theme: {id: x, id: y}", "- just\n- a list", "",
        "theme: " + "x" * 3_000_000, 'theme: {id: "\\ud800", title: t}', "theme: {id: 1}",
        "%YAML 9.9\n---\na: 1", "a: *undefined", "--- !!binary |\n  AAAA",
    ]  # fmt: skip
    for text in texts:
        variant(write("hostile.yaml", text))
        variant(write("_set.yaml", text))
    variant(write("hostile.yaml", os.urandom(3000)))
    variant(lambda t: os.mkfifo(t / "fifo.yaml"))
    variant(lambda t: (t / "zero.yaml").symlink_to("/dev/zero"))
    variant(lambda t: (t / "random.yaml").symlink_to("/dev/urandom"))
    variant(lambda t: (t / "dir.yaml").mkdir())
    variant(lambda t: (t / "_set.yaml").unlink())
    for minimum in (0, 1, 2, -5, "three", 10**20):

        def low(t: Path, m=minimum) -> None:
            import yaml

            text = (t / "_set.yaml").read_text()

            data = yaml.safe_load(text)
            data.setdefault("settings", {})["suppression_min"] = m
            (t / "_set.yaml").write_text(yaml.safe_dump(data))

        variant(low)
    return cases


def template_cases(folder: Path) -> list[tuple[str, Path]]:
    from docx import Document

    cases = []
    jinja = [
        "{{ 9**99999999 }}", "{{ 'x' * 10**9 }}", "{{ ''.center(10**9) }}",
        "{{ 'a'|center(10**9) }}", "{{ 'a'|indent(10**9) }}", "{{ 'a b'|wordwrap(10**9) }}",
        "{{ '%1000000000s' % 'a' }}", "{{ '{:1000000000}'.format(1) }}",
        "{{ ('a'*100000).replace('a', 'b'*100000) }}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{% include 'a' %}",
        "{% import 'a' as b %}", "{% extends 'a' %}", "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}", "{{ self._TemplateReference__context }}",
        "{{ 1/0 }}", "{{ '{}{}'.format(1) }}", "{{ undefined_name }}", "{% if %}",
        "{{ lipsum(10**6) }}", "{{ range(10**5)|join(',') * 100 }}", "{{ 2**4096 }}",
        "{% set x = [1] %}{% for i in range(99999) %}{% set _ = x.append(i) %}{% endfor %}",
    ]  # fmt: skip
    for i, text in enumerate(jinja):
        doc = Document()
        doc.add_paragraph(text)
        path = folder / f"template{i}.docx"
        doc.save(path)
        cases.append(("template", path))
    broken = {
        "nodoc.docx": _zip_bytes({"[Content_Types].xml": "<Types/>"}),
        "garbage.docx": os.urandom(5000),
        "empty.docx": b"",
        "html.docx": b"<html></html>",
    }
    for name, data in broken.items():
        path = folder / name
        path.write_bytes(data)
        cases.append(("template", path))
    for i, mutate in enumerate((_zip_bomb, _encrypt, _truncate, _lzma)):
        doc = Document()
        doc.add_paragraph("{{ organisation }}")
        path = folder / f"tmut{i}.docx"
        doc.save(path)
        mutate(path)
        cases.append(("template", path))
    return cases


# ---- zip mutations -----------------------------------------------------------------------


def _zip_bytes(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _rewrite(path: Path, change: Callable[[str, bytes], bytes | None], method=None) -> None:
    with zipfile.ZipFile(path) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", compression=method or zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            new = change(info.filename, data)
            zf.writestr(info.filename, data if new is None else new)


def _far_cell(path: Path, ref: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active[ref] = "x"
    wb.save(path)


def _declare_dimension(path: Path, ref: str) -> None:
    import re

    def change(name: str, data: bytes) -> bytes | None:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
        return None

    _rewrite(path, change)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (40 * 1024 * 1024))


def _encrypt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | 1)
            start = at + 4
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _lzma(path: Path) -> None:
    _rewrite(path, lambda _n, _d: None, method=zipfile.ZIP_LZMA)


def _nested(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/embeddings/inner.zip", _zip_bytes({"a": "b" * 1000}))


def _many_entries(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(12_000):
            zf.writestr(f"xl/junk/{i}.txt", "")


def _garbage_xml(path: Path) -> None:
    def change(name: str, data: bytes) -> bytes | None:
        if name.startswith("xl/worksheets/sheet"):
            return data[: len(data) // 2]
        return None

    _rewrite(path, change)


def build_corpus(folder: Path, good_archive: dict, question_ids: list[str]):
    """Write every hostile file under `folder`; returns [(kind, path)]."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        *sheet_cases(folder),
        *survey_cases(folder, question_ids),
        *register_cases(folder),
        *archive_cases(folder, good_archive),
        *question_set_cases(folder),
        *template_cases(folder),
    ]

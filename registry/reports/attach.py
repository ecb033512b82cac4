"""Embedding files in a finished PDF by appending an incremental update — streamed, never held in memory.

WeasyPrint's own attachments read the whole file into memory and compress it in one go. A report's detail CSV
can be large, so instead the PDF is written first and the files are then appended as a standard incremental
update (ISO 32000-1 §7.5.6): new ``EmbeddedFile`` streams (deflated chunk by chunk while copying), their
``Filespec``\\s, a new ``/Names /EmbeddedFiles`` tree and a new catalog, then a cross-reference section of the
same kind as the file's last one (table or stream) pointing back with ``/Prev``. Every reader treats the file
as one document with attachments (``pdfdetach -list``; pypdf ``reader.attachments``).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileToAttach:
    path: Path
    name: str
    description: str
    mime: str
    size: int
    md5: str


def _serialize(obj: object) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)  # type: ignore[attr-defined]
    return out.getvalue()


def _startxref(path: Path) -> tuple[int, bool]:
    """The offset of the file's last cross-reference section, and whether it is a classic table."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 1024))
        tail = fh.read()
        pos = tail.rfind(b"startxref")
        if pos < 0:
            raise ValueError("not a PDF: no startxref")
        offset = int(tail[pos + 9:].split()[0])
        fh.seek(offset)
        is_table = fh.read(4) == b"xref"
    return offset, is_table


def _pdf_date(moment: datetime) -> TextStringObject:
    return TextStringObject(moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ"))


def attach_files(pdf_path: Path, files: Sequence[FileToAttach], *, level: int = 3) -> None:
    """Append ``files`` to ``pdf_path`` as embedded files (the PDF is modified in place)."""
    if not files:
        return
    prev, classic = _startxref(pdf_path)
    reader = PdfReader(str(pdf_path))
    trailer = reader.trailer
    root_ref = trailer.raw_get("/Root")
    if not isinstance(root_ref, IndirectObject):
        raise ValueError("the PDF catalog is not an indirect object")
    catalog = reader.get_object(root_ref)
    size = int(trailer["/Size"])
    now = _pdf_date(datetime.now(UTC))

    offsets: dict[int, int] = {}
    next_number = size

    def new_number() -> int:
        nonlocal next_number
        next_number += 1
        return next_number - 1

    with open(pdf_path, "ab") as out:
        def begin(number: int) -> None:
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n" % number)

        out.write(b"\n")
        names: list[tuple[str, int]] = []
        for f in files:
            stream_no, length_no, spec_no = new_number(), new_number(), new_number()
            params = DictionaryObject({NameObject("/Size"): NumberObject(f.size),
                                       NameObject("/CheckSum"): ByteStringObject(bytes.fromhex(f.md5)),
                                       NameObject("/ModDate"): now, NameObject("/CreationDate"): now})
            head = DictionaryObject({
                NameObject("/Type"): NameObject("/EmbeddedFile"),
                NameObject("/Subtype"): NameObject("/" + f.mime.replace("/", "#2F")),
                NameObject("/Filter"): NameObject("/FlateDecode"),
                NameObject("/Length"): IndirectObject(length_no, 0, reader),
                NameObject("/Params"): params,
            })
            begin(stream_no)
            out.write(_serialize(head) + b"\nstream\n")
            compressor = zlib.compressobj(level)
            length = 0
            with open(f.path, "rb") as src:
                while block := src.read(_CHUNK):
                    data = compressor.compress(block)
                    length += len(data)
                    out.write(data)
            data = compressor.flush()
            length += len(data)
            out.write(data + b"\nendstream\nendobj\n")
            begin(length_no)
            out.write(b"%d\nendobj\n" % length)
            ref = IndirectObject(stream_no, 0, reader)
            spec = DictionaryObject({
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject(f.name),
                NameObject("/UF"): TextStringObject(f.name),
                NameObject("/Desc"): TextStringObject(f.description),
                NameObject("/AFRelationship"): NameObject("/Data"),
                NameObject("/EF"): DictionaryObject({NameObject("/F"): ref, NameObject("/UF"): ref}),
            })
            begin(spec_no)
            out.write(_serialize(spec) + b"\nendobj\n")
            names.append((f.name, spec_no))

        # the name tree: the catalog's existing /Names entries, plus every embedded file (sorted by name)
        old_names = catalog["/Names"] if "/Names" in catalog else None  # noqa: SIM401 ([] resolves references)
        names_dict = DictionaryObject(dict.items(old_names)) if old_names is not None else DictionaryObject()
        entries: list[tuple[str, object]] = []
        if "/EmbeddedFiles" in names_dict:
            old_files = names_dict["/EmbeddedFiles"]
            if "/Names" in old_files:  # a flat name tree (ours); a tree with /Kids is replaced, not merged
                raw = old_files["/Names"]
                entries += [(str(raw[i]), list.__getitem__(raw, i + 1)) for i in range(0, len(raw), 2)]
        entries += [(name, IndirectObject(no, 0, reader)) for name, no in names]
        entries.sort(key=lambda e: e[0])
        tree = ArrayObject()
        for name, ref in entries:
            tree += [TextStringObject(name), ref]
        names_dict[NameObject("/EmbeddedFiles")] = DictionaryObject({NameObject("/Names"): tree})
        names_no = new_number()
        begin(names_no)
        out.write(_serialize(names_dict) + b"\nendobj\n")

        new_catalog = DictionaryObject(dict(dict.items(catalog)))
        new_catalog[NameObject("/Names")] = IndirectObject(names_no, 0, reader)
        af = ArrayObject(IndirectObject(no, 0, reader) for _, no in names)
        new_catalog[NameObject("/AF")] = af
        begin(root_ref.idnum)
        out.write(_serialize(new_catalog) + b"\nendobj\n")

        extra = {NameObject("/Root"): root_ref, NameObject("/Prev"): NumberObject(prev)}
        for key in ("/Info", "/ID"):
            if key in trailer:
                extra[NameObject(key)] = trailer.raw_get(key)
        if classic:
            _write_table(out, offsets, next_number, extra)
        else:
            _write_stream(out, offsets, new_number(), extra)


def _sections(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _write_table(out: io.BufferedWriter, offsets: dict[int, int], size: int, extra: dict) -> None:
    start = out.tell()
    out.write(b"xref\n")
    for run in _sections(list(offsets)):
        out.write(b"%d %d\n" % (run[0], len(run)))
        for n in run:
            out.write(b"%010d 00000 n\r\n" % offsets[n])
    trailer = DictionaryObject({NameObject("/Size"): NumberObject(size), **extra})
    out.write(b"trailer\n" + _serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % start)


def _write_stream(out: io.BufferedWriter, offsets: dict[int, int], xref_no: int, extra: dict) -> None:
    start = out.tell()
    offsets[xref_no] = start
    index = ArrayObject()
    rows = b""
    for run in _sections(list(offsets)):
        index += [NumberObject(run[0]), NumberObject(len(run))]
        rows += b"".join(b"\x01" + offsets[n].to_bytes(5, "big") + b"\x00\x00" for n in run)
    head = DictionaryObject({
        NameObject("/Type"): NameObject("/XRef"),
        NameObject("/Size"): NumberObject(xref_no + 1),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(5), NumberObject(2)]),
        NameObject("/Index"): index,
        NameObject("/Length"): NumberObject(len(rows)),
        **extra,
    })
    out.write(b"%d 0 obj\n" % xref_no + _serialize(head) + b"\nstream\n" + rows
              + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)

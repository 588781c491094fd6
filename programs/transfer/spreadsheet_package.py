"""Checking an XLSX file before openpyxl reads it: what its parts unpack to, that each is plain
XML, and that no sheet is larger than a spreadsheet can be.

An XLSX file is a ZIP archive of XML parts, and neither the upload limit nor openpyxl bounds what
those parts hold once unpacked: a 1.6 KB file can declare a sheet of 16,384 columns by a million
rows, 60 KB can unpack to millions of rows, and openpyxl builds every cell of a row before it
hands the row on, so one row of millions of empty cells takes gigabytes. So before openpyxl sees
the file:

- the parts' unpacked sizes are added up from the archive's directory, without unpacking
  anything (zipfile stops at the size a part declares, so a part can't unpack to more);
- every XML part is read once as a stream by defusedxml's SAX parser, which keeps nothing and
  refuses a DTD, so entity expansion ("billion laughs") and external entities (a file of the
  server) never reach openpyxl, and broken XML is found here, with the part's name;
- that same pass counts each sheet's rows and each row's cells against a spreadsheet's own
  limits (1,048,576 rows, 16,384 columns), and refuses data right of the columns the import
  reads, which it would otherwise drop without a word;
- and it counts what openpyxl would hold at once: the elements of one row or one shared text,
  the shared texts (all kept once read), and each part's elements outside them (kept as objects).
"""

import io
import zipfile
import zlib
from xml.sax import SAXParseException, handler

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string

# The most rows and columns a sheet has in Excel and LibreOffice: a file with more was not made
# by a spreadsheet.
LAST_ROW = 1_048_576
LAST_COLUMN = 16_384

# The namespaces of a sheet's elements (transitional, as Excel and LibreOffice save, and strict).
SHEET_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    }
)
# A cell's value, inline text or formula: what makes a cell hold something.
CELL_CONTENT = frozenset({"v", "is", "f"})
# The most XML elements a part may hold outside its rows and shared texts. openpyxl keeps these
# while it reads the part, as objects of some hundred bytes each (the styles, the workbook, a
# sheet's merged cells and views); Excel's limit of 64,000 cell formats is about 200,000
# elements of styles.
PART_MAX_ELEMENTS = 250_000
# The most XML elements in one row or one shared text, which openpyxl builds whole before it
# hands them on: a full row of 16,384 cells of rich text is about this many.
UNIT_MAX_ELEMENTS = 100_000


class PackageRefused(Exception):
    """The file is not read; the message (in the reader's language) says why."""


def check_package(data, name, *, max_unpacked_bytes, max_columns, max_shared_strings):
    """Refuse (PackageRefused) an XLSX file whose parts unpack to more than max_unpacked_bytes,
    whose XML is broken or declares entities, whose sheets go past a spreadsheet's size or hold
    data right of column `max_columns`, with more than `max_shared_strings` shared texts, or with
    another part larger than a workbook's need. Reads the parts as streams, keeping nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > max_unpacked_bytes:
                raise PackageRefused(
                    _(
                        "%(name)s unpacks to %(size)s MB; the import reads workbooks of up to "
                        "%(limit)s MB unpacked. Split it into smaller files."
                    )
                    % {
                        "name": name,
                        "size": _megabytes(unpacked),
                        "limit": _megabytes(max_unpacked_bytes),
                    }
                )
            for member in members:
                if not member.is_dir():
                    with archive.open(member) as part:
                        shape = _PartShape(member.filename, name, max_columns, max_shared_strings)
                        _check_part(part, shape)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        # A damaged archive or part (a wrong checksum, a part cut short), a compression method
        # zipfile lacks, an encrypted part, a directory whose offsets point nowhere.
        raise _unreadable(name, exc) from None


def _check_part(part, shape):
    part_name, name = shape.part_name, shape.name
    parser = make_parser()
    # Real workbooks have no DTD; refusing any means no entity of any kind is ever expanded.
    parser.forbid_dtd = True
    parser.setFeature(handler.feature_namespaces, True)
    parser.setContentHandler(shape)
    try:
        parser.parse(part)
    except SAXParseException as exc:
        if (exc.getLineNumber(), exc.getColumnNumber()) == (1, 0):
            # Not XML from its first byte (an image, a printer's settings): openpyxl reads no
            # such part as XML, and one it tried to would fail at once, harmlessly.
            return
        raise _unreadable(name, f"{part_name}: {exc.getMessage()}") from None
    except DefusedXmlException:
        raise _unreadable(
            name,
            _("%(part)s declares XML entities, which a workbook never needs") % {"part": part_name},
        ) from None


class _PartShape(handler.ContentHandler):
    """Counts what a part holds while the parser streams through it.

    openpyxl reads a sheet a row at a time and the shared strings a text (<si>) at a time,
    letting go of each before the next; everything else in a part it keeps while reading it.
    So wherever they are (a part's name or root element decides nothing for openpyxl, so nothing
    here), rows and texts are counted, and the elements of each; the elements outside them are
    counted per part.
    """

    def __init__(self, part_name, name, max_columns, max_shared_strings):
        super().__init__()
        self.part_name = part_name
        self.name = name
        self.max_columns = max_columns
        self.max_shared_strings = max_shared_strings
        self.elements = 0  # outside rows and texts
        self.texts = 0
        self.rows = 0
        self.line = 0
        # Within the row or text being read: how deep, how many elements, cells, which column.
        self.depth = 0
        self.unit_elements = 0
        self.cells = 0
        self.column = 0

    def startElementNS(self, element, qualified_name, attributes):
        namespace, tag = element
        ours = namespace in SHEET_NAMESPACES
        if self.depth:
            self.depth += 1
            self.unit_elements += 1
            if self.unit_elements > UNIT_MAX_ELEMENTS:
                raise _unreadable(
                    self.name,
                    _("%(part)s has a row or text of more than %(limit)s XML elements")
                    % {"part": self.part_name, "limit": _count(UNIT_MAX_ELEMENTS)},
                )
            if ours and tag == "c":
                self.start_cell(attributes.get((None, "r")))
            elif ours and tag in CELL_CONTENT and self.column > self.max_columns:
                self.refuse_far_cell()
        elif ours and tag == "row":
            self.start_row(attributes.get((None, "r")))
            self.depth, self.unit_elements = 1, 0
        elif ours and tag == "si":
            self.texts += 1
            if self.texts > self.max_shared_strings:
                raise PackageRefused(
                    _(
                        "%(name)s holds more than %(limit)s different texts; the import reads at "
                        "most that many from one file. Split it into smaller files."
                    )
                    % {"name": self.name, "limit": _count(self.max_shared_strings)}
                )
            self.depth, self.unit_elements = 1, 0
        else:
            self.elements += 1
            if self.elements > PART_MAX_ELEMENTS:
                raise _unreadable(
                    self.name,
                    _("%(part)s holds more than %(limit)s XML elements")
                    % {"part": self.part_name, "limit": _count(PART_MAX_ELEMENTS)},
                )

    def endElementNS(self, element, qualified_name):
        if self.depth:
            self.depth -= 1

    def refuse_far_cell(self):
        raise PackageRefused(
            _(
                "%(name)s has something in cell %(cell)s; the import reads columns A to "
                "%(last)s only. Move it left, or delete it."
            )
            % {
                "name": self.name,
                "cell": f"{get_column_letter(min(self.column, LAST_COLUMN))}{self.line}",
                "last": get_column_letter(self.max_columns),
            }
        )

    def start_row(self, number):
        self.rows += 1
        self.line = self.line + 1 if number is None else _whole_number(number, self.line + 1)
        if self.rows > LAST_ROW or self.line > LAST_ROW:
            raise PackageRefused(
                _("%(name)s has more than %(limit)s rows, more than a spreadsheet holds.")
                % {"name": self.name, "limit": _count(LAST_ROW)}
            )
        self.cells = 0
        self.column = 0

    def start_cell(self, reference):
        self.cells += 1
        if self.cells > LAST_COLUMN:
            raise PackageRefused(
                _("%(name)s has a row of more than %(limit)s cells, more than a spreadsheet holds.")
                % {"name": self.name, "limit": _count(LAST_COLUMN)}
            )
        if reference is None:
            self.column += 1
        else:
            try:
                self.column = column_index_from_string(reference.rstrip("0123456789"))
            except ValueError:
                # Not a cell reference at all: openpyxl refuses the part when it reads it.
                self.column += 1


def _count(number):
    return number_format(number, force_grouping=True)


def _whole_number(text, default):
    try:
        return int(text)
    except ValueError:
        return default


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}"


def _unreadable(name, reason):
    return PackageRefused(
        _("%(name)s is not a readable XLSX workbook (%(reason)s).")
        % {"name": name, "reason": reason}
    )

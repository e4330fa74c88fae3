"""Writes the seed inputs of Fuzz/Corpus (files named seed-*); run once, the output is kept in git.

    python3 Fuzz/make_seeds.py

FCS seeds are the five real files of ../shared/data/fcs cut down to 20 events (with $TOT, $ENDDATA and the
HEADER's DATA end rewritten in place, same widths), a few cuts of them (header only, truncated TEXT, truncated
DATA) and small synthetic files the real ones lack (24-bit, float64, two data sets, $MODE C, not an FCS).
Delimited seeds are one option byte (see Fuzz/Sources/FuzzDelimited/FuzzDelimited.swift) and a CSV/TSV snippet.
Every file stays well under 64 KB.
"""
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")
FCS_OUT = os.path.join(HERE, "Corpus", "FCS")
CSV_OUT = os.path.join(HERE, "Corpus", "Delimited")


def write(folder, name, data):
    assert len(data) < 64 * 1024, name
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def replace_value(b, text_start, text_end, key, value):
    """Rewrites keyword `key`'s value in TEXT, padded with spaces to its old width."""
    delim = bytes([b[text_start]])
    m = re.search(re.escape(delim + key + delim) + rb"([^" + re.escape(delim) + rb"]*)", b[text_start:text_end + 1])
    if m is None:
        return b
    start, end = text_start + m.start(1), text_start + m.end(1)
    new = str(value).encode()
    assert len(new) <= end - start, (key, value)
    return b[:start] + new + b" " * (end - start - len(new)) + b[end:]


def header_field(b, index, value):
    at = 10 + 8 * index
    return b[:at] + str(value).rjust(8).encode() + b[at + 8:]


def shrink(b, events):
    """The file with only its first `events` events, or None when DATA is not right after a short TEXT."""
    text_start, text_end, data_start = (int(b[10 + 8 * i:18 + 8 * i]) for i in range(3))
    text = b[text_start:text_end + 1]
    delim = text[:1]
    fields = text[1:].split(delim)
    keys = {fields[i].upper(): fields[i + 1] for i in range(0, len(fields) - 1, 2)}
    tot = int(keys[b"$TOT"].strip())
    event_bytes = (int(b[34:42]) - data_start + 1) // tot
    if data_start > 8192:
        return None
    end = data_start + events * event_bytes - 1
    b = replace_value(b, text_start, text_end, b"$TOT", events)
    b = replace_value(b, text_start, text_end, b"$ENDDATA", end)
    b = header_field(b, 3, end)
    return b[:end + 1]


def synthetic(keywords, data, version=b"FCS3.0", delim=b"/", next_data=0):
    text = delim
    for k, v in keywords + [(b"$NEXTDATA", str(next_data).ljust(8).encode())]:
        text += k.replace(delim, delim * 2) + delim + v.replace(delim, delim * 2) + delim
    begin = 58 + len(text)
    end = begin + len(data) - 1
    header = version + b"    " + b"".join(str(n).rjust(8).encode() for n in (58, begin - 1, begin, end, 0, 0))
    return header + text + data


def params(datatype, byteord, tot, bits, mode=b"L"):
    k = [(b"$BYTEORD", byteord), (b"$DATATYPE", datatype), (b"$MODE", mode), (b"$PAR", str(len(bits)).encode()),
         (b"$TOT", str(tot).encode())]
    for i, n in enumerate(bits):
        k += [(b"$P%dB" % (i + 1), str(n).encode()), (b"$P%dN" % (i + 1), b"CH%d" % (i + 1)),
              (b"$P%dR" % (i + 1), str(1 << min(n, 30)).encode())]
    return k


def fcs_seeds():
    os.makedirs(FCS_OUT, exist_ok=True)
    for name in sorted(os.listdir(os.path.join(DATA, "fcs"))):
        with open(os.path.join(DATA, "fcs", name), "rb") as f:
            b = f.read()
        stem = name[:-4]
        small = shrink(b, 20)
        if small is not None:
            write(FCS_OUT, "seed-%s-20-events.fcs" % stem, small)
        write(FCS_OUT, "seed-%s-first-4k.fcs" % stem, b[:4096])
    with open(os.path.join(DATA, "fcs", "cyflow_cube_8.fcs"), "rb") as f:
        cube = f.read()
    write(FCS_OUT, "seed-header-only.fcs", cube[:58])
    write(FCS_OUT, "seed-text-cut.fcs", cube[:700])
    write(FCS_OUT, "seed-not-fcs.fcs", b"\x89PNG\r\n\x1a\n" + bytes(50))
    int24 = bytes(range(60))
    write(FCS_OUT, "seed-int24-big-endian.fcs", synthetic(params(b"I", b"4,3,2,1", 10, [24, 24]), int24))
    doubles = b"".join(struct.pack("<d", x) for x in (1.5, -2.0, 1e300, float("nan"), 0.0, 3.25))
    write(FCS_OUT, "seed-float64.fcs", synthetic(params(b"D", b"1,2,3,4", 3, [64, 64]), doubles))
    mixed = bytes(range(7)) * 4
    write(FCS_OUT, "seed-int-mixed-widths.fcs", synthetic(params(b"I", b"1,2,3,4", 4, [8, 16, 32]), mixed))
    write(FCS_OUT, "seed-mode-c.fcs", synthetic(params(b"I", b"1,2", 2, [16], mode=b"C"), bytes(4)))
    # $NEXTDATA is padded to 8 characters, so the first data set's length does not depend on its value.
    size = len(synthetic(params(b"F", b"1,2,3,4", 2, [32]), struct.pack("<ff", 1.0, 2.0)))
    first = synthetic(params(b"F", b"1,2,3,4", 2, [32]), struct.pack("<ff", 1.0, 2.0), next_data=size)
    second = synthetic(params(b"I", b"1,2", 3, [16]), bytes(range(6)), delim=b"\\")
    write(FCS_OUT, "seed-two-data-sets.fcs", first + second)


CSV = {
    # option byte, text
    "plain.csv": (1, b"a,b,c\n1,2,3\n4,5,6\n"),
    "row-names.tsv": (2, b"\tA\tB\nx\t1.5\t-2\ny\t3e-7\t0x1p3\n"),
    "write-table.tsv": (0, b"A\tB\tC\ng1\t1\t2\t3\ng2\t4\t5\t6\n"),
    "quotes.csv": (1, b'"name","v ""1""",w\n"a,b",1,"2"\n"multi\nline",3,4\n'),
    "comments.csv": (1, b"# a comment\n\nx,y\n# another\n1,2\n\n3,4\n"),
    "missing.csv": (1, b"a,b,c\nNA,1,\nnan,null,NaN\n2,-inf,inf\n"),
    "odd-numbers.csv": (65, b"a,b,c,d\n1e400,-0.0,1e-400,123456789012345678901234567890\n.5,5.,+7,0x1.8p-3\n"),
    "crlf-bom.csv": (1, b"\xef\xbb\xbfa,b\r\n1,2\r\n3,4\r"),
    "semicolon.txt": (3, b"a;b\n1,5;2\n"),
    "no-header.txt": (4, b"1 , 2 , 3\n4,5,6\n"),
    "transposed-select.tsv": (32 + 2 + 128, b"id\tA\tB\tC\np1\t1\t2\t3\np2\t4\t5\t6\n"),
    "select-reversed.csv": (128 + 1, b"a,b,c\n1,2,3\n4,,6\n"),
    "header-only.csv": (1, b"a,b,c\n"),
    "ragged.csv": (1, b"a,b\n1,2\n3\n"),
    "unclosed-quote.csv": (1, b'a,b\n"1,2\n'),
    "text-cell.csv": (9, b"a,b\nx,1\ny,abc\n"),
    "empty.txt": (0, b""),
}


def csv_seeds():
    os.makedirs(CSV_OUT, exist_ok=True)
    for name, (flags, text) in CSV.items():
        write(CSV_OUT, "seed-" + name, bytes([flags]) + text)
    with open(os.path.join(DATA, "expression", "exprsData.txt"), "rb") as f:
        lines = f.read().split(b"\n")
    write(CSV_OUT, "seed-exprsData-head.txt", bytes([32]) + b"\n".join(lines[:12]) + b"\n")
    with open(os.path.join(DATA, "expression", "pData.txt"), "rb") as f:
        write(CSV_OUT, "seed-pData.txt", bytes([0]) + f.read())


if __name__ == "__main__":
    fcs_seeds()
    csv_seeds()

import codecs

from pipelines.land.sniff import UTF8, WIN1252, sniff_csv, sniff_delimiter, sniff_encoding
from pipelines.land.stream import ChunkReader, FileDigest, csv_chunks
from pipelines.land import stream


def test_bom_is_utf8_and_flagged():
    assert sniff_encoding(codecs.BOM_UTF8 + b"nip,nama\n") == (UTF8, True)


def test_cp1252_bytes_are_windows_1252():
    assert sniff_encoding("nip;nama\n1;Nur\u2019aini\n".encode("cp1252")) == (WIN1252, False)


def test_utf8_cut_mid_character_is_still_utf8():
    sample = "nama\nÉlan".encode("utf-8")[:-1]
    assert sniff_encoding(sample) == (UTF8, False)


def test_semicolon_delimiter_wins_when_more_frequent():
    assert sniff_delimiter("nip;nama;kode_unit") == ";"
    assert sniff_delimiter("nip,nama,kode_unit") == ","
    # a delimiter inside quotes does not count
    assert sniff_delimiter('"a;b;c",nama,unit') == ","


def test_sniff_csv_reads_the_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"nip;waktu\r\n1;2\r\n")
    fmt = sniff_csv(path)
    assert (fmt.encoding, fmt.bom, fmt.delimiter) == (UTF8, True, ";")


def test_crlf_split_across_chunks_becomes_one_newline(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "CHUNK_BYTES", 4)
    path = tmp_path / "a.csv"
    raw = codecs.BOM_UTF8 + b'ab\r\ncd\re"f\r\n'
    path.write_bytes(raw)
    digest = FileDigest()
    out = b"".join(csv_chunks(path, digest, skip_bom=True))
    assert out == b'ab\ncd\ne"f\n'
    assert digest.size == len(raw) and digest.quotes == 1


def test_chunk_reader_returns_bytes_in_order_and_ends_empty():
    reader = ChunkReader([b"abc", b"", b"defg"])
    parts = []
    while data := reader.read(2):
        parts.append(data)
    assert b"".join(parts) == b"abcdefg"
    assert reader.read(2) == b""


def test_a_quote_inside_a_value_is_flagged_one_around_a_value_is_not(tmp_path):
    def stray(text, delimiter=","):
        path = tmp_path / "a.csv"
        path.write_bytes(text.encode())
        digest = FileDigest()
        b"".join(csv_chunks(path, digest, skip_bom=False, delimiter=delimiter))
        return digest.stray_quotes

    assert not stray('a,"b, c",d\n"say ""hi""",""\n')
    assert not stray('a;"b; c"\n', delimiter=";")
    assert stray('a,12"x,b\n')
    assert stray('a, "b",c\n')
    assert stray('a;"b",c\n', delimiter=";")  # the comma is text in a semicolon file


def test_title_lines_are_skipped_across_chunks():
    assert b"".join(stream.skip_lines([b"Rekap", b" Oktober\nnip,na", b"me\n1,a\n"], 1)) == b"nip,name\n1,a\n"
    assert b"".join(stream.skip_lines([b"a\nb\n"], 0)) == b"a\nb\n"


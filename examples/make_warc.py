"""Write examples/corpus/08_crawl.warc.gz from examples/sources/08_harbourline_syndication.html.

One WARC 'response' record: the HTML page as a crawler would have fetched it, with HTTP
headers. The WARC-Record-ID and WARC-Date are fixed so that the output is reproducible
(gzip headers written by zlib carry no timestamp).

    .venv/bin/python examples/make_warc.py
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sources" / "08_harbourline_syndication.html"
TARGET = HERE / "corpus" / "08_crawl.warc.gz"
URL = "https://harbourline.example.com/defence/2026/02/10/varnian-port-welders-sea-drones"
RECORD_ID = "<urn:uuid:6f1c2b9e-4d0a-4a8e-9b57-08c0a1e2f3d4>"
WARC_DATE = "2026-02-10T09:02:17Z"


def main() -> None:
    body = SOURCE.read_bytes()
    http_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Date", "Tue, 10 Feb 2026 09:02:17 GMT"),
            ("Server", "nginx"),
        ],
        protocol="HTTP/1.1",
    )
    with TARGET.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        record = writer.create_warc_record(
            URL,
            "response",
            payload=BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Record-ID": RECORD_ID, "WARC-Date": WARC_DATE},
        )
        writer.write_record(record)


if __name__ == "__main__":
    main()

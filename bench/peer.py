#!/usr/bin/env python3
"""peer.py FILE DB - the script a careful analyst would write by hand.

Reads a DBR-RT or CUR file (plain, gzip or a zip with one CSV) with the
standard csv module, inserts account, service, day and cost of every row
into SQLite in one transaction, then runs the daily GROUP BY that
pilvi-analyzer's store keeps. Prints the number of groups and the total.
"""
import csv
import io
import sqlite3
import sys
import zipfile
import gzip

COLUMNS = {
    "dbr-rt": ("LinkedAccountId", "ProductName", "UsageStartDate",
               "UnBlendedCost"),
    "cur": ("lineItem/UsageAccountId", "lineItem/ProductCode",
            "lineItem/UsageStartDate", "lineItem/UnblendedCost"),
}


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    if magic == b"PK\x03\x04":
        archive = zipfile.ZipFile(path)
        member = archive.open(archive.namelist()[0])
        return io.TextIOWrapper(member, newline="", encoding="utf-8-sig")
    return open(path, newline="", encoding="utf-8-sig")


def main():
    path, db = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE line (account TEXT, service TEXT, day TEXT,"
                " cost TEXT)")
    with open_text(path) as text:
        rows = csv.reader(text)
        header = next(rows)
        kind = "cur" if "lineItem/UnblendedCost" in header else "dbr-rt"
        index = [header.index(name) for name in COLUMNS[kind]]
        a, s, d, c = index
        con.executemany("INSERT INTO line VALUES (?, ?, ?, ?)",
                        ((r[a], r[s], r[d][:10], r[c]) for r in rows
                         if len(r) == len(header)))
    con.commit()
    groups = con.execute("SELECT account, service, day, sum(cost) FROM line"
                         " GROUP BY account, service, day").fetchall()
    print(len(groups), round(sum(g[3] for g in groups), 2))


if __name__ == "__main__":
    main()

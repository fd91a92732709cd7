"""Rewrite the real seed page into the other layouts real results pages use."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.resolve.registry import Registry

Row = list[str]


def cells(line: str) -> Row:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def row(values: Row) -> str:
    return "| " + " | ".join(values) + " |"


def rewrite_tables(text: str, rewrite: Callable[[Row, list[Row]], list[str] | None]) -> str:
    """Give each pipe table (header, rows) to `rewrite`; None keeps the table as it is."""
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        if not lines[index].startswith("|"):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        header, body = cells(lines[index]), [cells(line) for line in lines[index + 1 : end]]
        replaced = rewrite(header, body)
        out.extend(lines[index:end] if replaced is None else replaced)
        index = end
    return "\n".join(out)


def per_heat_tables(text: str) -> str:
    """One `;Heat N` table per heat instead of one table with a Heat column."""

    def split(header: Row, body: list[Row]) -> list[str] | None:
        if header[0] != "Heat":
            return None
        out: list[str] = []
        for heat in dict.fromkeys(r[0] for r in body):
            out += [f";Heat {heat}", row(header[1:])]
            out += [row(r[1:]) for r in body if r[0] == heat]
            out.append("")
        return out[:-1]

    return rewrite_tables(text.replace("\nHeats\n| Heat |", "\n| Heat |"), split)


def reorder(text: str, order: list[str], names: dict[str, str]) -> str:
    """Results tables with columns in `order` (original names) renamed through `names`."""

    def shuffle(header: Row, body: list[Row]) -> list[str] | None:
        if "Athlete" not in header:
            return None
        wanted = [name for name in order if name in header]
        picks = [header.index(name) for name in wanted]
        return [row([names.get(name, name) for name in wanted])] + [
            row([r[i] for i in picks]) for r in body
        ]

    return rewrite_tables(text, shuffle)


def fill_country(text: str, registry: Registry, form: str) -> str:
    """Country given as a NOC (`noc`), a nation name (`name`) or bracketed after the athlete."""
    nation = {n.noc: n.name for n in registry.nations}

    def noc_of(printed: str) -> str:
        athlete_id, _ = registry.resolve("variant", 0, printed)
        return registry.by_id[athlete_id].noc

    def fill(header: Row, body: list[Row]) -> list[str] | None:
        if "Country" not in header:
            return None
        a, c = header.index("Athlete"), header.index("Country")
        if form == "bracket":
            keep = [i for i in range(len(header)) if i != c]
            rows = [[f"{r[i]} ({noc_of(r[a])})" if i == a else r[i] for i in keep] for r in body]
            return [row([header[i] for i in keep])] + [row(r) for r in rows]
        for r in body:
            noc = noc_of(r[a])
            r[c] = noc if form == "noc" else nation[noc]
        return [row(header)] + [row(r) for r in body]

    return rewrite_tables(text, fill)


def windows_file(text: str) -> bytes:
    """Saved on another system: BOM, CRLF, trailing spaces, non-breaking spaces in cells."""
    lines = [
        line.replace(" | ", "\u00a0| ").replace("Li Ye", "Li\u00a0Ye") + "  "
        for line in text.split("\n")
    ]
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")

"""The network as a graph file: GraphML (Gephi, Cytoscape, yEd) and DOT (Graphviz).

Nodes are your contacts (not archived), with their circle, organisation and strength;
"me" is a node too, tied to each of them by your tie's strength. Edges are the ties
between contacts the ledger shows (introduced, via, met together, stated), with their
kinds, the days met together and their strength. Colleagues are not drawn as edges of
their own (an organisation of n people would be n(n-1)/2 of them): each node has its
`org`, and an edge between two colleagues lists "same org" among its kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO
from xml.sax.saxutils import quoteattr


@dataclass(frozen=True)
class Node:
    handle: str
    name: str
    circle: str
    org: str | None
    strength: int


@dataclass(frozen=True)
class Edge:
    a: str  # handles
    b: str
    kinds: tuple[str, ...]
    met_days: int
    strength: int


_NODE_KEYS = (("name", "string"), ("circle", "string"), ("org", "string"), ("strength", "int"))
_EDGE_KEYS = (("kinds", "string"), ("met_days", "int"), ("strength", "int"))


def write_graphml(nodes: Iterable[Node], edges: Iterable[Edge], stream: BinaryIO) -> None:
    def line(text: str) -> None:
        stream.write((text + "\n").encode("utf-8"))

    line('<?xml version="1.0" encoding="UTF-8"?>')
    line('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">')
    for name, kind in _NODE_KEYS:
        line(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>')
    for name, kind in _EDGE_KEYS:
        line(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>')
    line('  <graph id="netlog" edgedefault="undirected">')
    line('    <node id="me"><data key="name">me</data></node>')
    for n in nodes:
        data = [("name", n.name), ("circle", n.circle), ("org", n.org), ("strength", str(n.strength))]
        cells = "".join(f'<data key="{k}">{_text(v)}</data>' for k, v in data if v is not None)
        line(f"    <node id={quoteattr(n.handle)}>{cells}</node>")
        line(
            f'    <edge source="me" target={quoteattr(n.handle)}><data key="e_kinds">your tie</data>'
            f'<data key="e_strength">{n.strength}</data></edge>'
        )
    for e in edges:
        line(
            f"    <edge source={quoteattr(e.a)} target={quoteattr(e.b)}>"
            f'<data key="e_kinds">{_text(", ".join(e.kinds))}</data>'
            f'<data key="e_met_days">{e.met_days}</data><data key="e_strength">{e.strength}</data></edge>'
        )
    line("  </graph>")
    line("</graphml>")


def _text(value: str) -> str:
    from xml.sax.saxutils import escape

    # XML 1.0 has no way to write most control characters, even escaped: they go.
    return escape("".join(ch for ch in value if ch >= " " or ch in "\t\n"))


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def write_dot(nodes: Iterable[Node], edges: Iterable[Edge], stream: BinaryIO) -> None:
    def line(text: str) -> None:
        stream.write((text + "\n").encode("utf-8"))

    line("graph netlog {")
    line('  "me" [shape=doublecircle];')
    for n in nodes:
        attrs = f"label={_dot_id(n.name)}, circle={_dot_id(n.circle)}, strength={n.strength}"
        if n.org:
            attrs += f", org={_dot_id(n.org)}"
        line(f"  {_dot_id(n.handle)} [{attrs}];")
        line(f'  "me" -- {_dot_id(n.handle)} [kinds="your tie", weight={n.strength}];')
    for e in edges:
        line(
            f"  {_dot_id(e.a)} -- {_dot_id(e.b)} [kinds={_dot_id(', '.join(e.kinds))}, "
            f"met_days={e.met_days}, weight={e.strength}];"
        )
    line("}")

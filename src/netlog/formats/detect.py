"""Which format a file is in, from its content (the extension only breaks ties).

- JSON: netlog's export object, or an array (`netlog list --json` output).
- JSON Lines: one object per line.
- vCard: a `BEGIN:VCARD` line (any case) before any other content.
- LinkedIn Connections.csv: a header `First Name,Last Name,...,Connected On`, possibly
  after a "Notes:" preamble.
- Google Contacts CSV: numbered column groups (`E-mail 1 - Value`) or Google's name
  columns (`Given Name,Additional Name,Family Name`).
- Anything else with a comma-separated header line: generic CSV.
"""

from __future__ import annotations

import json
import re

_GOOGLE = re.compile(r"E-mail \d+ - (Value|Type|Label)|Given Name,Additional Name,Family Name")


def detect(text: str, filename: str | None = None) -> str | None:
    """The name of a format netlog reads (formats/registry.py), or None when the content
    says nothing recognisable."""
    head = text.lstrip("\ufeff \t\r\n")[:20000]
    if not head:
        return None
    if re.match(r"(?i)begin:vcard", head):
        return "vcf"
    if head[0] in "[{":
        first_line = head.split("\n", 1)[0].strip()
        if head[0] == "{" and _is_json_object(first_line) and "\n" in head.strip():
            return "jsonl"
        return "json"
    lines = head.splitlines()
    for line in lines[:30]:
        if line.startswith("First Name,Last Name") and "Connected On" in line:
            return "linkedin"
        if _GOOGLE.search(line) or line.startswith("First Name,Middle Name,Last Name,"):
            return "google"
    if filename and filename.lower().endswith((".vcf", ".vcard")):
        return "vcf"
    if any("," in line or ";" in line for line in lines[:5]):
        return "csv"
    return None


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # not JSON, or nested past what Python follows
        # netlog's own JSON document starts `{"format": "netlog-export", ..., "contacts": [{...},`
        # on its first line: a document, not a line of JSON Lines.
        return line.startswith("{") and not re.match(r'\{\s*"format"\s*:', line)

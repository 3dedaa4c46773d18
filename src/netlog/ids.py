"""How touches, favors, needs and offers are named on the command line: `t5`, `f12`,
`n3` and `o4`.

Interactions and favors are numbered separately, so a bare `5` could be either (needs
and offers share one numbering, and each id is one or the other); tables
and messages show the letter, and commands that take an id accept it with or without
the letter (`netlog done f12`, `netlog done 12`, `netlog edit-touch t5`). A letter of the
other kind is refused, so `netlog rm-favor t5` cannot delete favor 5 by mistake.
"""

from __future__ import annotations

import re

from netlog.wording import article

TOUCH = "t"
FAVOR = "f"
NEED = "n"
OFFER = "o"
_REF = re.compile(r"#?([tfno]?)#?([0-9]{1,18})")
_NAMES = {TOUCH: "touch", FAVOR: "favor", NEED: "need", OFFER: "offer"}


def touch_ref(touch_id: int) -> str:
    return f"{TOUCH}{touch_id}"


def favor_ref(favor_id: int) -> str:
    return f"{FAVOR}{favor_id}"


def need_ref(item_id: int, kind: str) -> str:
    return f"{NEED if kind == 'need' else OFFER}{item_id}"


def parse_ref(text: str, letter: str) -> int:
    """The number in `12`, `#12` or `f12` (for letter "f"); ValueError with the reason."""
    match = _REF.fullmatch(text.strip().lower())
    if match is None or int(match.group(2)) == 0:
        raise ValueError(f"{text!r} is not a {_NAMES[letter]} id (like {letter}12 or 12)")
    if match.group(1) and match.group(1) != letter:
        other = _NAMES[match.group(1)]
        raise ValueError(
            f"{text.strip()} is {article(other)} id; this command takes {article(_NAMES[letter])} ({letter}N)"
        )
    return int(match.group(2))

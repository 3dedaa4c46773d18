"""Values made ready for json.dumps: ISO dates, UTC timestamps ending in Z, records as dicts.

Records (the *Public dataclasses) are read field by field, in declared order.
Converting everything first lets json.dumps use its C encoder.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):  # a *Public record
        return {key: plain(getattr(value, key)) for key in value.__dataclass_fields__}
    raise TypeError(f"cannot write {type(value).__name__} as JSON")

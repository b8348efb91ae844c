"""One JSON object a line for log collectors (LOG_FORMAT=json)."""

from __future__ import annotations

import datetime as dt
import json
import logging

# attributes every LogRecord has; anything else was passed with extra= and is kept
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                # the request object Django attaches to errors: its method and path only
                if key == "request":
                    value = f"{getattr(value, 'method', '')} {getattr(value, 'path', '')}"
                entry[key] = value if isinstance(value, (str, int, float, bool)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

"""The domain: plain functions that take a Reader (reads) or a session (writes, see
write.py) and a date, and return data."""

"""The domain: plain functions that take a session and a date and return data."""

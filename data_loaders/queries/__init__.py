"""Read-side queries: the only functions pages call to get data. SQL filters and groups;
each returns a small pandas DataFrame (or a plain dict for one record)."""

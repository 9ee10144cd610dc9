"""The benchmark behind ``make bench``: content at volume, the servers, and wrk runs (see bench/run.py)."""

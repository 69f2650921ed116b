"""Make the embedded DynamoDB's Query read one partition, not the whole table.

moto (5.2) answers every Query by sorting every item of the table and then keeping
those of the asked partition: a Query costs O(n log n) in the table's size, where
DynamoDB's costs what it returns. The statistics' streams Query small partitions
thousands of times, so a long `make run` or a test with thousands of reports spent
minutes sorting (bench/stats.py and docs/benchmarks.md). This narrows what ``query``
sees to the partition it asks for; everything else (Scan, GetItem, the order of the
results) is moto's own. Installed by the local stack and the tests only.
"""

from __future__ import annotations

import threading

_state = threading.local()
_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from moto.dynamodb.models.table import Table

    original_query = Table.query
    original_all_items = Table.all_items

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name")
        if index_name is None and len(args) >= 7:
            index_name = args[6]
        _state.narrow = (id(self), None if index_name else hash_key)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _state.narrow = None

    def all_items(self):
        narrow = getattr(_state, "narrow", None)
        if not narrow or narrow[0] != id(self):
            return original_all_items(self)
        hash_key = narrow[1]
        if hash_key is None:
            # An index Query sorts what it keeps by the index's keys afterwards.
            if self.range_key_attr:
                return [i for part in self.items.values() for i in part.values()]
            return list(self.items.values())
        part = self.items.get(hash_key)
        if part is None:
            return []
        # The base table's results are sorted by range key afterwards.
        return list(part.values()) if self.range_key_attr else [part]

    Table.query = query
    Table.all_items = all_items
    _installed = True

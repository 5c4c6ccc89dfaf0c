"""Walking a transition table (`{state: frozenset of next states}`) in tests of state machines."""


def reachable(table: dict, start) -> set:
    """Every state reachable from `start`, itself included."""
    seen, pending = {start}, [start]
    while pending:
        for nxt in table[pending.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
    return seen

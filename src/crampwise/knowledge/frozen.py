"""`Frozen`: an immutable record class for the instant `crampwise now` path (standard library).

`dataclasses` imports `inspect`, which costs more start-up than the whole relief protocol; these
small slotted classes behave like frozen dataclasses (equality, hashing and `repr` by field).
"""

from __future__ import annotations


class Frozen:
    """A light stand-in for a frozen dataclass: slots, set once in `__init__`, then immutable.

    Equality, hashing and `repr` follow the fields (`__slots__`), as a frozen dataclass's do.
    """

    __slots__: tuple[str, ...] = ()

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"

"""Human labels for enum values, shown through the ``label`` template filter.

Each feature registers the labels of its own enums next to them, so templates never spell out
``{% if state == 'raised' %}已立案{% endif %}``.
"""
import enum


_LABELS: dict[type[enum.Enum], dict] = {}


def register_labels(enum_cls: type[enum.Enum], labels: dict) -> None:
    missing = set(enum_cls) - set(labels)
    if missing:
        raise ValueError(f"{enum_cls.__name__}: no label for {sorted(m.name for m in missing)}")
    _LABELS[enum_cls] = labels


def label(value) -> str:
    if value is None:
        return ""
    labels = _LABELS.get(type(value))
    return str(labels[value]) if labels else str(value)


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, in declaration order.

    The labels stay lazy: forms are declared at import time, before any language is chosen.
    """
    labels = _LABELS[enum_cls]
    return [(member.value, labels[member]) for member in enum_cls]

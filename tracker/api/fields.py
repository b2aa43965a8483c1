"""Input fields that refuse what the database cannot store, so bad input is a 422, never a 500."""
import marshmallow as ma
from marshmallow import validate
from marshmallow.validate import Length

# Ids fit a 32-bit integer column; a larger number names nothing (PostgreSQL would fail on it).
MAX_ID = 2**31 - 1


def _storable(value: str) -> None:
    """PostgreSQL text cannot hold NUL; lone surrogates (JSON "\\ud800") cannot be encoded."""
    if "\x00" in value:
        raise ma.ValidationError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ma.ValidationError("Must be valid Unicode text.") from exc


class Text(ma.fields.String):
    """A string stored as text: trimmed, storable, at most ``max_length`` characters."""

    def __init__(self, *, max_length: int, min_length: int = 0, validate=(), **kwargs):
        # Checked after trimming: "   " is no title.
        checks = [validate] if callable(validate) else list(validate)
        super().__init__(validate=[Length(min=min_length, max=max_length), *checks], **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        _storable(text)
        return text.strip()


class Secret(ma.fields.String):
    """A password: storable text, not trimmed, never dumped."""

    def __init__(self, **kwargs):
        super().__init__(load_only=True, validate=validate.Length(min=1, max=256), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        _storable(text)
        return text


class Flag(ma.fields.Boolean):
    """JSON true or false only (marshmallow would also take "yes", 1 …)."""
    truthy = {True}
    falsy = {False}


def Id(*, strict: bool = True, **kwargs) -> ma.fields.Integer:  # noqa: N802 - reads as a class
    """An id: strict (JSON numbers only) in bodies, not in query strings."""
    return ma.fields.Integer(strict=strict, validate=validate.Range(1, MAX_ID), **kwargs)


def Version(**kwargs) -> ma.fields.Integer:  # noqa: N802
    return ma.fields.Integer(strict=True, validate=validate.Range(0, MAX_ID), required=True,
                             metadata={"description": "the version the caller read; a changed "
                                                      "object answers 409"}, **kwargs)

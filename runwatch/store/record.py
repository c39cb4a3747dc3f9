"""Turning a stats call's arguments into named, typed record fields (no numpy needed)."""

from __future__ import annotations

# typestrs the writer produces, as numpy would infer them for these values
BOOL, INT, FLOAT = "|b1", "<i8", "<f8"
SCALAR_TYPESTRS = {
    "|b1",
    "|i1",
    "<i2",
    "<i4",
    "<i8",
    "|u1",
    "<u2",
    "<u4",
    "<u8",
    "<f2",
    "<f4",
    "<f8",
}
_INT_RANGES = {
    "|i1": (-(2**7), 2**7),
    "<i2": (-(2**15), 2**15),
    "<i4": (-(2**31), 2**31),
    "<i8": (-(2**63), 2**63),
    "|u1": (0, 2**8),
    "<u2": (0, 2**16),
    "<u4": (0, 2**32),
    "<u8": (0, 2**64),
}


def flatten(name: str, value: object, out: list[tuple[str, object]]) -> None:
    """Append (dotted name, leaf) pairs: dicts by key, lists and tuples by index."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or "." in key or not key:
                raise ValueError(
                    f"stats dict keys must be non-empty strings without dots, got {key!r}"
                )
            flatten(f"{name}.{key}", item, out)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            flatten(f"{name}.{index}", item, out)
    else:
        out.append((name, value))


def scalar(name: str, value: object) -> tuple[str, object]:
    """(typestr, python value) for one leaf, keeping a numpy scalar's own dtype as pavlov did."""
    if isinstance(value, bool):
        return BOOL, value
    if isinstance(value, int):
        return INT, value
    if isinstance(value, float):
        return FLOAT, float(value)
    dtype = getattr(value, "dtype", None)
    if (
        dtype is not None
        and type(value).__module__ == "numpy"
        and type(value).__name__ != "ndarray"
    ):
        typestr = getattr(dtype, "str", None)
        if typestr in SCALAR_TYPESTRS:
            return typestr, value.item()
    if hasattr(value, "item"):  # 0-d numpy arrays, torch tensors: become python scalars
        return scalar(name, value.item())
    raise TypeError(
        f"stats field {name!r}: expected a number, bool or scalar with .item(), got {type(value).__name__}"
    )


def fields(arg_names: tuple[str, ...], values: tuple) -> list[tuple[str, str, object]]:
    """(name, typestr, value) for every leaf of a call's arguments, in argument order."""
    leaves: list[tuple[str, object]] = []
    for arg, value in zip(arg_names, values):
        flatten(arg, value, leaves)
    return [(name, *scalar(name, leaf)) for name, leaf in leaves]


def coerce(name: str, typestr: str, value: object) -> object:
    """Fit a value into an existing field's type, the way numpy's casting would."""
    _, value = scalar(name, value)
    if typestr == BOOL:
        return bool(value)
    if typestr[1] in "iu":
        number = int(value)  # truncates floats, like numpy
        low, high = _INT_RANGES[typestr]
        if not low <= number < high:
            raise ValueError(f"stats field {name!r}: {value!r} does not fit in {typestr}")
        return number
    return float(value)

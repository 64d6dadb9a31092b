"""Code families by name, built from command-line style distance arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from qec.circuits._annotated import AnnotatedCircuit
from qec.circuits.ldpc_cat import WIDTH, LdpcCatCode, OpenLdpcCatCode, TShapeCode
from qec.circuits.repetition import RepetitionCode
from qec.circuits.surface import CatSurfaceCode, RotatedSurfaceCode, XZZXSurfaceCode
from qec.errors import QecError


class Code(Protocol):
    """What every code family offers."""

    name: str

    @property
    def num_qubits(self) -> int: ...

    @property
    def num_data_qubits(self) -> int: ...

    def params(self) -> dict[str, Any]: ...

    def memory_circuit(self, *, rounds: int, basis: str) -> AnnotatedCircuit: ...


_SURFACE_FAMILIES: dict[str, type[RotatedSurfaceCode]] = {
    family.name: family for family in (RotatedSurfaceCode, XZZXSurfaceCode, CatSurfaceCode)
}
CODE_FAMILIES: dict[
    str,
    type[RepetitionCode]
    | type[RotatedSurfaceCode]
    | type[LdpcCatCode]
    | type[OpenLdpcCatCode]
    | type[TShapeCode],
] = {
    RepetitionCode.name: RepetitionCode,
    LdpcCatCode.name: LdpcCatCode,
    OpenLdpcCatCode.name: OpenLdpcCatCode,
    TShapeCode.name: TShapeCode,
    **_SURFACE_FAMILIES,
}


def make_code(
    name: str,
    *,
    distance: int | None = None,
    dx: int | None = None,
    dz: int | None = None,
    columns: int | None = None,
) -> Code:
    """The code family `name` at the given size (`columns`: the open LDPC-cat codes' free
    columns, 17 when None).

    Examples:
        >>> make_code("xzzx_surface", dx=3, dz=5)
        XZZXSurfaceCode(distance=3, dx=3, dz=5)
        >>> make_code("repetition", dx=3, dz=5)
        Traceback (most recent call last):
        ...
        qec.errors.QecError: dx=3 is not allowed: expected nothing: the repetition code takes \
only distance
    """
    if name not in CODE_FAMILIES:
        raise QecError.invalid("code", name, "one of " + ", ".join(sorted(CODE_FAMILIES)))
    if columns is not None and name != OpenLdpcCatCode.name:
        raise QecError.invalid(
            "columns", columns, f"nothing: only {OpenLdpcCatCode.name} has columns"
        )
    if name in ("repetition", "ldpc_cat", "ldpc_cat_open", "tshape"):
        for parameter, value in (("dx", dx), ("dz", dz)):
            if value is not None:
                raise QecError.invalid(
                    parameter, value, f"nothing: the {name} code takes only distance"
                )
        if name == "ldpc_cat":
            return LdpcCatCode(distance=distance)  # type: ignore[arg-type]  # checks it
        if name == "ldpc_cat_open":
            size = WIDTH if columns is None else columns
            return OpenLdpcCatCode(distance=distance, columns=size)  # type: ignore[arg-type]
        if name == "tshape":
            return TShapeCode(distance=distance)  # type: ignore[arg-type]  # checks it
        if distance is None:
            raise QecError.invalid("distance", None, "an odd integer >= 3")
        return RepetitionCode(distance=distance)
    if distance is not None and (dx is not None or dz is not None):
        raise QecError(
            f"distance={distance} with dx={dx}, dz={dz} is not allowed: expected either "
            "distance or both dx and dz"
        )
    return _SURFACE_FAMILIES[name](distance=distance, dx=dx, dz=dz)


def size_text(params: Mapping[str, Any]) -> str:
    """A code size for people: 'd=7' for a square code, 'dx=3 dz=9' for a rectangular
    one, from a code's params or a results row's metadata (other keys are ignored). The
    one size formatter of `qec`.

    Examples:
        >>> size_text({"distance": 7}), size_text({"distance": 3, "dx": 3, "dz": 9})
        ('d=7', 'dx=3 dz=9')
        >>> size_text({"code": "rotated_surface", "distance": 5, "dx": 5, "dz": 5, "nbar": 8})
        'd=5'
    """
    dx, dz = params.get("dx"), params.get("dz")
    if dx is not None and dz is not None and dx != dz:
        return f"dx={dx} dz={dz}"
    return f"d={params.get('distance')}"

"""Which of sinter's decoders can run here."""

from __future__ import annotations

import importlib.util

import sinter

from qec.errors import QecError

# Decoders that need a package beyond qec's dependencies: decoder -> (module, pip name).
_OPTIONAL_PACKAGES = {
    "fusion_blossom": ("fusion_blossom", "fusion-blossom"),
    "hypergraph_union_find": ("mwpf", "mwpf"),
    "mw_parity_factor": ("mwpf", "mwpf"),
}


def check_decoder(name: str) -> None:
    """Raises QecError unless `name` is one of sinter's decoders and can be imported.

    Examples:
        >>> check_decoder("pymatching")
        >>> check_decoder("mwpm")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: decoder='mwpm' is not allowed: expected one of vacuous, pymatching, \
pymatching-correlated, fusion_blossom, hypergraph_union_find, mw_parity_factor
    """
    if name not in sinter.BUILT_IN_DECODERS:
        raise QecError.invalid("decoder", name, "one of " + ", ".join(sinter.BUILT_IN_DECODERS))
    if name in _OPTIONAL_PACKAGES:
        module, pip_name = _OPTIONAL_PACKAGES[name]
        if importlib.util.find_spec(module) is None:
            raise QecError(
                f"decoder={name!r} needs the package {pip_name!r}, which is not installed: "
                f"pip install {pip_name}"
            )

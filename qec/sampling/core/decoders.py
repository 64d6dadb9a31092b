"""Which decoders can run here, and decoding bit-packed syndromes with any of them.

A decoder is named as in sinter: one of sinter's built-in decoders, one of the BP+OSD
and BP+LSD decoders of the `stimbposd` package (Roffe's `ldpc` underneath; installed by
`pip install "qec[bposd]"`), or a name of the caller's `custom_decoders` (a mapping of
names to `sinter.Decoder`s, as `sinter.collect` takes). Every estimator decodes through
sinter's interface (`compile_decoder_for_dem`, bit-packed batches), except PyMatching,
which is called directly: the same decoding, and the matching graph's weights are needed
to certify strata (`decoding_problem.certified_fault_count`).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import pickle
import re
from collections.abc import Callable, Mapping

import numpy as np
import sinter
import stim

from qec.errors import QecError
from qec.noise import Undecomposable, detector_error_model

# Decoders that need a package beyond qec's dependencies: decoder -> (module, pip name).
OPTIONAL_PACKAGES = {
    "fusion_blossom": ("fusion_blossom", "fusion-blossom"),
    "hypergraph_union_find": ("mwpf", "mwpf"),
    "mw_parity_factor": ("mwpf", "mwpf"),
}
#: RUIZ25_DECODER: the BP+OSD of Ruiz et al., Nat. Commun. 16, 1040 (2025), as their
#: scripts set it (github.com/DiegoRuiz-Git/LDPCat, `Logical error/MonteCarlo.py`):
#: min-sum BP with scaling factor 0.625, then OSD-CS of order 60. They allow 10,000 BP
#: iterations; on their circuits BP almost never converges, so the iterations only refine
#: what OSD starts from, and 30 keep the failure rate (benchmarks/decoders.py) at a
#: fraction of the time (benchmarks/ldpc_cat_decoding.py).
RUIZ25_DECODER = "bposd-ruiz25"
RUIZ25_BPOSD = {
    "max_bp_iters": 30,
    "bp_method": "minimum_sum",
    "ms_scaling_factor": 0.625,
    "osd_order": 60,
    "osd_method": "osd_cs",
}
#: The same BP+OSD with n BP iterations is "bposd-ruiz25-<n>it" (their Figure 5 varies
#: n from 4 to 11,365).
RUIZ25_ITERATIONS = re.compile(r"bposd-ruiz25-([1-9][0-9]*)it")
# stimbposd's decoders (its `sinter_decoders()`), by the prefix of their names.
BPOSD_PREFIXES = ("bposd", "bplsd")
BPOSD_INSTALL = 'pip install "qec[bposd]"'
# Decoders that read only graphlike edges (at most two detectors a mechanism): PyMatching
# drops a hyperedge silently, which would make every estimate wrong without a word.
GRAPHLIKE_DECODERS = frozenset({"pymatching", "pymatching-correlated", "fusion_blossom"})

#: Bit-packed detection events, one row per shot -> bit-packed observable predictions.
Predict = Callable[[np.ndarray], np.ndarray]


def _bposd_decoders(name: str = "") -> dict[str, sinter.Decoder]:
    """stimbposd's sinter decoders and the settings papers ran (`RUIZ25_BPOSD`, and under
    `name` its variant when `name` asks for BP iterations), or none when stimbposd is not
    installed."""
    if importlib.util.find_spec("stimbposd") is None:
        return {}
    module = importlib.import_module("stimbposd")
    found: dict[str, sinter.Decoder] = module.sinter_decoders()
    found[RUIZ25_DECODER] = module.SinterDecoder_BPOSD(**RUIZ25_BPOSD)
    iterations = RUIZ25_ITERATIONS.fullmatch(name)
    if iterations is not None:
        settings = RUIZ25_BPOSD | {"max_bp_iters": int(iterations.group(1))}
        found[name] = module.SinterDecoder_BPOSD(**settings)
    return found


def ruiz25_decoder(iterations: int) -> str:
    """The name of Ruiz et al.'s BP+OSD with `iterations` BP iterations.

    Examples:
        >>> ruiz25_decoder(4)
        'bposd-ruiz25-4it'
    """
    return f"{RUIZ25_DECODER}-{iterations}it"


def find_decoder(
    name: str, custom_decoders: Mapping[str, sinter.Decoder] | None = None
) -> sinter.Decoder:
    """The sinter decoder called `name`: the caller's `custom_decoders` first, then
    sinter's built-in decoders, then stimbposd's. Raises QecError naming what is
    allowed, or the package to install.

    Examples:
        >>> type(find_decoder("pymatching")).__name__
        'PyMatchingDecoder'
        >>> find_decoder("mwpm")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: decoder='mwpm' is not allowed: expected one of vacuous, pymatching, \
pymatching-correlated, fusion_blossom, hypergraph_union_find, mw_parity_factor, bposd, \
bposd-serial, bposd-minsum, bposd-serial-minsum, bposd-ruiz25 (bposd..., bplsd... with \
stimbposd; bposd-ruiz25-<n>it for n BP iterations), or a name of custom_decoders
    """
    custom = dict(custom_decoders or {})
    for key, decoder in custom.items():
        if not isinstance(decoder, sinter.Decoder):
            raise QecError.invalid(
                "custom_decoders",
                f"{{{key!r}: <{type(decoder).__name__}>}}",
                "sinter.Decoder values",
            )
    if name in custom:
        return custom[name]
    if name in sinter.BUILT_IN_DECODERS:
        if name in OPTIONAL_PACKAGES:
            module, pip_name = OPTIONAL_PACKAGES[name]
            if importlib.util.find_spec(module) is None:
                raise QecError(
                    f"decoder={name!r} needs the package {pip_name!r}, which is not installed: "
                    f"pip install {pip_name}"
                )
        built_in: sinter.Decoder = sinter.BUILT_IN_DECODERS[name]
        return built_in
    bposd = _bposd_decoders(name)
    if name in bposd:
        return bposd[name]
    if name.startswith(BPOSD_PREFIXES) and not bposd:
        raise QecError(
            f"decoder={name!r} needs the package 'stimbposd', which is not installed: "
            f"{BPOSD_INSTALL}"
        )
    named = [*sinter.BUILT_IN_DECODERS, *bposd]
    listed = ", ".join(
        n for n in named if not n.startswith("bplsd")
    )  # stimbposd's BP+LSD variants share one mention
    raise QecError.invalid(
        "decoder",
        name,
        f"one of {listed} (bposd..., bplsd... with stimbposd; bposd-ruiz25-<n>it for n BP "
        "iterations), or a name of custom_decoders",
    )


def check_decoder(name: str, custom_decoders: Mapping[str, sinter.Decoder] | None = None) -> None:
    """Raises QecError unless `name` names a decoder that can run here (`find_decoder`).

    Examples:
        >>> check_decoder("pymatching")
    """
    find_decoder(name, custom_decoders)


def decoder_error_model(circuit: stim.Circuit, decoder: str) -> stim.DetectorErrorModel:
    """The circuit's detector error model (`qec.noise.detector_error_model`) as `decoder`
    reads it. QecError naming the decoder when it reads only graphlike edges and stim
    cannot decompose the circuit's hyperedges (PyMatching would drop them silently).

    Examples:
        >>> hyperedge = stim.Circuit("X_ERROR(0.1) 0\\nM 0\\nDETECTOR rec[-1]\\n"
        ...     "DETECTOR rec[-1]\\nDETECTOR rec[-1]\\nOBSERVABLE_INCLUDE(0) rec[-1]")
        >>> decoder_error_model(hyperedge, "bposd").num_errors
        1
        >>> decoder_error_model(hyperedge, "pymatching")
        Traceback (most recent call last):
        ...
        qec.errors.QecError: decoder='pymatching' is not allowed: expected a decoder of \
hyperedges (e.g. bposd): the circuit's detector error model has a mechanism with 3 \
detectors that stim cannot decompose into graphlike edges
    """
    try:
        return detector_error_model(circuit, graphlike=decoder in GRAPHLIKE_DECODERS)
    except Undecomposable as error:
        raise QecError.invalid(
            "decoder", decoder, f"a decoder of hyperedges (e.g. bposd): {error}"
        ) from None


@dataclasses.dataclass(frozen=True)
class DecoderChoice:
    """A decoder by its name (as `find_decoder` takes it) and the caller's custom
    decoders it may name; checked on creation.

    Examples:
        >>> choice = DecoderChoice("pymatching")
        >>> choice.is_pymatching, DecoderChoice.from_key(choice.key()) == choice
        (True, True)
        >>> dem = stim.DetectorErrorModel("error(0.1) D0 L0\\nerror(0.1) D0 D1\\nerror(0.1) D1")
        >>> predict = choice.compiled(dem)
        >>> predict(np.array([[1], [3]], dtype=np.uint8)).tolist()  # D0 alone; D0 and D1
        [[1], [0]]
    """

    name: str = "pymatching"
    custom: Mapping[str, sinter.Decoder] | None = None

    def __post_init__(self) -> None:
        find_decoder(self.name, self.custom)

    @property
    def is_pymatching(self) -> bool:
        """Whether this is sinter's own PyMatching (the fast path, with certified strata)."""
        return self.name == "pymatching" and self.name not in (self.custom or {})

    def sinter_decoder(self) -> sinter.Decoder:
        """The `sinter.Decoder` this names."""
        return find_decoder(self.name, self.custom)

    def key(self) -> bytes:
        """This choice pickled: a hashable key for caches, sent to worker processes
        (`from_key`)."""
        return pickle.dumps(self)

    @staticmethod
    def from_key(key: bytes) -> DecoderChoice:
        """The choice that `key` holds."""
        choice: DecoderChoice = pickle.loads(key)
        return choice

    def compiled(self, dem: stim.DetectorErrorModel) -> Predict:
        """The decoder compiled for `dem` (from `decoder_error_model`) through sinter's
        interface: bit-packed detection events in, bit-packed observable predictions
        out."""
        compiled = self.sinter_decoder().compile_decoder_for_dem(dem=dem)

        def predict(syndromes: np.ndarray) -> np.ndarray:
            predictions: np.ndarray = compiled.decode_shots_bit_packed(
                bit_packed_detection_event_data=syndromes
            )
            return predictions

        return predict


def wrong_predictions(predictions: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """For each shot, whether the decoder's bit-packed `predictions` differ from the
    observables it really flipped (`flips`, bit-packed; an observable the decoder does
    not know of counts as predicted unflipped).

    Examples:
        >>> wrong_predictions(np.array([[1], [0]], np.uint8), np.array([[1], [1]], np.uint8))
        array([False,  True])
    """
    width = min(predictions.shape[1], flips.shape[1])
    wrong: np.ndarray = np.any(predictions[:, :width] != flips[:, :width], axis=1)
    if flips.shape[1] > width:
        wrong |= np.any(flips[:, width:] != 0, axis=1)
    return wrong

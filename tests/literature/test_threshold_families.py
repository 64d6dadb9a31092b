"""The sweeps compared with published thresholds: each measures what its published
value is a threshold of."""

from __future__ import annotations

from qec.literature.published import PUBLISHED
from qec.literature.threshold_families import BIAS_ETAS, biased_names, threshold_families


def test_every_family_sweeps_the_code_and_noise_of_its_published_value():
    families = threshold_families()
    assert len({f.name for f in families}) == len(families)
    for family in families:
        row = PUBLISHED[family.published]
        assert family.sweep.sweep == row.sweep, family.name
        if row.value is not None:  # a number, not a trend: the same code and noise
            assert (family.sweep.code, family.sweep.noise_spec()) == (row.code, row.noise)
            assert family.sweep.values[0] < row.value <= family.sweep.values[-1]


def test_the_biased_families_cover_every_eta_for_both_codes():
    names = {f.name: f for f in threshold_families()}
    for code, family_code in (("xzzx", "xzzx_surface"), ("rotated", "rotated_surface")):
        for eta, name in biased_names(code).items():
            sweep = names[name].sweep
            assert (sweep.code, sweep.noise, sweep.fixed, sweep.basis) == (
                family_code,
                "biased",
                {"eta": eta},
                "X",
            )
    assert list(biased_names("xzzx")) == list(BIAS_ETAS)

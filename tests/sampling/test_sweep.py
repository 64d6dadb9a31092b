"""Threshold sweeps: their experiments, sinter tasks and points, and the sweeps refused."""

from __future__ import annotations

import pytest
import sinter

from qec.errors import QecError
from qec.sampling.sweep import ThresholdSweep, points_from_stats


def test_points_from_stats_adds_up_repeats_and_labels_rectangular_codes():
    meta = {"code": "xzzx_surface", "distance": 3, "dx": 3, "dz": 9, "rounds": 3, "p": 0.01}
    stats = [
        sinter.TaskStats(
            strong_id="a", decoder="pymatching", json_metadata=meta, shots=100, errors=5
        ),
        sinter.TaskStats(
            strong_id="a", decoder="pymatching", json_metadata=meta, shots=50, errors=1
        ),
    ]
    (point,) = points_from_stats(stats)
    assert (point.label, point.distance, point.shots, point.errors) == ("dx=3 dz=9", 3, 150, 6)


def test_sweep_builds_tasks_with_experiment_metadata_and_finds_its_own_stats():
    sweep = ThresholdSweep(
        code="xzzx_surface",
        sizes=((3, 5), (5, 9)),
        noise="biased",
        fixed={"eta": 100},
        values=(0.01, 0.02, 0.03),
        basis="X",
    )
    tasks = sweep.tasks()
    assert len(tasks) == 6
    assert tasks[0].json_metadata == sweep.experiment((3, 5), 0.01).metadata()
    assert tasks[0].json_metadata["rounds"] == 3 and tasks[-1].json_metadata["dz"] == 9
    other = dict(tasks[0].json_metadata, eta=10)
    stats = [
        sinter.TaskStats(
            strong_id=str(i), decoder="pymatching", json_metadata=m, shots=10, errors=1
        )
        for i, m in enumerate([t.json_metadata for t in tasks] + [other])
    ]
    assert len(sweep.points(stats)) == 6


@pytest.mark.parametrize(
    "kwargs,named",
    [
        (
            {"sweep": "q"},
            "sweep='q' is not allowed: expected a numeric parameter of noise 'biased': p, eta",
        ),
        ({"fixed": {"eta": 10, "p": 0.01}}, "no value for the swept parameter 'p'"),
        ({"sizes": (3,)}, "at least two different sizes"),
        ({"sizes": (3, 4)}, "distance=4"),
        ({"values": (0.01, 0.02)}, "at least 3 different"),
        ({"values": (0.5, 1.0, 1.5)}, "p=1.5"),
        ({"rounds": "dd"}, "rounds='dd'"),
        ({"noise": "depolarising"}, "noise='depolarising'"),
    ],
)
def test_bad_sweeps_are_refused_naming_the_parameter(kwargs, named):
    args = {
        "code": "rotated_surface",
        "sizes": (3, 5),
        "noise": "biased",
        "values": (0.01, 0.02, 0.03),
        "fixed": {"eta": 10},
        **kwargs,
    }
    with pytest.raises(QecError, match=named):
        ThresholdSweep(**args)


def test_rounds_rules():
    base = {"code": "rotated_surface", "sizes": (3, 5), "values": (0.01, 0.02, 0.03)}
    assert ThresholdSweep(noise="code_capacity", **base).rounds_for(5) == 1
    assert ThresholdSweep(noise="depolarizing", **base).rounds_for(5) == 5
    assert ThresholdSweep(noise="depolarizing", rounds="3d", **base).rounds_for(5) == 15
    assert ThresholdSweep(noise="depolarizing", rounds="4", **base).rounds_for(5) == 4

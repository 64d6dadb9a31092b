"""The units a splitting run starts, in order: first those that earlier runs on its
ladder stopped at their deadlines (`qec.sampling.splitting.partial_units`), then new
ones, unit i seeded by `unit_seed(seed, i)`.

Seeds are never run twice: a kept unit whose row is already saved (a kill came between
the row and forgetting the unit) is forgotten, and new seeds skip every seed that a
saved or kept unit holds (a unit that finished out of turn before an earlier run's
deadline holds a later index's seed).
"""

from __future__ import annotations

import collections
import itertools
import pathlib
import secrets

import numpy as np

from qec.sampling.splitting.ladder import PartialUnit
from qec.sampling.splitting.partial_units import drop_partial, saved_partials


def unit_seed(seed: int | None, index: int) -> int:
    """The seed of unit `index` of a run seeded by `seed` (fresh entropy without one).

    Examples:
        >>> unit_seed(7, 0) == unit_seed(7, 0) != unit_seed(7, 1)
        True
    """
    if seed is None:
        return secrets.randbits(63)
    return int(np.random.SeedSequence([seed, index]).generate_state(2, np.uint64)[0] >> 1)


class UnitJobs:
    """The units a run on the ladder named `ladder_id` starts, given the seeds of its
    saved units (`finished`), its results file `path` (None: nothing is kept) and its
    `seed`.

    Examples:
        >>> jobs = UnitJobs(None, "ladder", finished={unit_seed(3, 0)}, seed=3)
        >>> jobs.resuming, jobs.next() == (unit_seed(3, 1), None)
        (False, True)
    """

    def __init__(
        self, path: pathlib.Path | None, ladder_id: str, *, finished: set[int], seed: int | None
    ) -> None:
        kept = [] if path is None else saved_partials(path, ladder_id)
        for unit in kept:
            if path is not None and unit.seed in finished:
                drop_partial(path, ladder_id, unit.seed)
        self._kept = collections.deque(u for u in kept if u.seed not in finished)
        self._taken = finished | {unit.seed for unit in self._kept}
        self._indices = itertools.count(len(finished))
        self._seed = seed

    @property
    def resuming(self) -> bool:
        """Whether the next unit goes on with a kept one."""
        return bool(self._kept)

    def next(self) -> tuple[int, PartialUnit | None]:
        """The next unit's seed, and the kept unit it goes on with (None: a new unit)."""
        if self._kept:
            unit = self._kept.popleft()
            return unit.seed, unit
        while (seed_now := unit_seed(self._seed, next(self._indices))) in self._taken:
            pass
        self._taken.add(seed_now)
        return seed_now, None

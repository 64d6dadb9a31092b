"""Markov chains over fault configurations that the decoder gets wrong.

A fault configuration E is a set of the detector error model's mechanisms that fire
together. Under noise scaled by s (every mechanism's odds o_i = p_i / (1 - p_i) times s,
see `qec.sampling.splitting.ladder`), E has probability P_s(E) = s^|E| prod_{i in E} o_i / Z(s).
`FailureChains` runs many Metropolis-Hastings chains side by side whose stationary law is
P_s restricted to the failure set F (the configurations on which matching predicts the
wrong observables), the law that Bravyi and Vargo's splitting method samples
(PRA 88, 062308 (2013), Sec. III); the decoder is in the loop, one batch per step.

Each step proposes, for every chain, one of four moves, each with probability 1/4:

- add a mechanism i drawn with probability o_i / O (O = sum of all o_i), accepted with
  min(1, s O / (|E| + 1));
- remove a fault chosen uniformly from E, accepted with min(1, |E| / (s O));
- move a fault i of E to a neighbouring mechanism j (one sharing a detector), drawn
  uniformly from i's neighbours N(i), accepted with min(1, (o_j / o_i) |N(i)| / |N(j)|);
- resample a random part of the configuration: every mechanism joins a region R with
  probability rho (independently of E), and the faults in R are drawn afresh from the
  noise, i.e. a fault of E is dropped with probability rho (1 - p_i(s)) and a mechanism
  outside E joins with probability rho p_i(s), p_i(s) = s o_i / (1 + s o_i). The
  proposal's ratio q(E' -> E) / q(E -> E') is prod_{E - E'} o_i / prod_{E' - E} o_i,
  which cancels P_s(E') / P_s(E), so the move is accepted exactly when E' fails
  (a Gibbs update of the random block R, restricted to F),

each also rejected when the new configuration is not a failure. These are the
Metropolis-Hastings ratios of the proposals, so every move keeps P_s restricted to F
invariant. The local moves let a failing chain of faults slide and reshape, which
single additions and removals alone do slowly when faults are rare; the resampling
renews a fraction rho of the faults at once. Without it the fault count, the quantity
the ratios between levels rest on, decorrelates only as each fault is removed in turn,
after about 4 s O steps, and the top ratio comes out biased against direct sampling
(docs/tuning.md has the comparison that showed it).

Chains at one noise scale alone relax slowly from the many-fault failures typical of
strong noise to the few-fault ones that dominate weak noise, which biases the ratios
between levels low. So the chains run as replica-exchange ladders (parallel tempering;
Swendsen and Wang, PRL 57, 2607 (1986); Hukushima and Nemoto, JPSJ 65, 1604 (1996)): each
ladder holds one state per level, and after every step neighbouring levels j, j + 1
(alternately the even and the odd pairs) exchange their states with probability
min(1, (s_{j+1} / s_j)^(w_j - w_{j+1})), the Metropolis ratio of the exchange. Every
state is a failure at every level (the decoder is the same), so an exchange needs no
decoding. The top level's state is also replaced, now and then, by a fresh failure
sampled directly at the top scale, an exact draw from its law.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from qec.sampling.core.decoding_problem import DecodingProblem

_ADD, _REMOVE, _MOVE, _RESAMPLE = 0, 1, 2, 3
MOVES = 4
# Exchange sweeps (alternately even and odd pairs) after each step: they need no
# decoding, so they are cheap next to a step, and more of them let a state reach the
# level it fits in fewer steps.
EXCHANGES_PER_STEP = 16


@dataclasses.dataclass(frozen=True)
class ChainsSnapshot:
    """What `FailureChains` needs to go on exactly where it stopped (`restore`).

    Attributes:
        members: every state's faults, concatenated in state order.
        faults: the number of faults of each state.
        slot: slot[m, j], the state serving level j of ladder m.
        histograms: the fault-count histograms counted so far (`FailureChains.run`).
        kind_sums: the fault kinds' counts so far (`FailureChains.kind_sums`).
        counters: steps taken, proposals, accepted, decoded, exchanges, the parity of
            the next exchange and the width of the members array (which sets how many
            random numbers a resampling move draws).
        rng_state: the state of the chains' bit generator.
    """

    members: np.ndarray
    faults: np.ndarray
    slot: np.ndarray
    histograms: np.ndarray
    kind_sums: np.ndarray
    counters: tuple[int, ...]
    rng_state: Mapping[str, Any]

    def configurations(self) -> list[np.ndarray]:
        """Each state's faults, in state order."""
        return split_by_sizes(self.members, self.faults)


def split_by_sizes(values: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """`values` cut into consecutive pieces of `sizes` (which sum to its length).

    Examples:
        >>> [piece.tolist() for piece in split_by_sizes(np.arange(5), np.array([2, 0, 3]))]
        [[0, 1], [], [2, 3, 4]]
        >>> split_by_sizes(np.arange(0), np.array([], dtype=np.int64))
        []
    """
    return np.split(values, np.cumsum(sizes)[:-1]) if len(sizes) else []


class FailureChains:
    """Replica-exchange ladders of Metropolis-Hastings chains on the failing fault
    configurations of `problem`: `ladders` ladders of one state per noise scale in
    `scales` (decreasing), started from `starts` (failing sets of mechanism indices:
    starts[m] is ladder m's start at every level, or a list of one start per level).
    `groups[m]` (default 0) labels ladder m; `run` keeps one histogram per group.
    With `shares` (a `FaultKinds`' shares[i, K]), `run` also sums each fault kind's count
    n_K over the states of level `kinds_level` (the last by default) after burn-in, per
    group, in `kind_sums`.
    `resample_fraction` is rho, the share of mechanisms a resampling move draws afresh.
    A failure rests on about c = ceil(d / 2) faults (d the graphlike distance) that the
    move must keep, so it is accepted with about (1 - rho)^c and renews rho (1 - rho)^c
    of the faults, most at rho = 1 / (1 + c), the default.

    Attributes:
        proposals: moves proposed so far, summed over states.
        accepted: moves accepted so far.
        decoded: configurations decoded so far.
        exchanges: accepted exchanges between levels.
        kind_sums: kind_sums[g, K], the sum of n_K over group g's states at
            `kinds_level` counted by `run` (no columns without `shares`).
        steps_done: the steps `run` has taken.
        histograms: the histograms `run` has counted so far.

    Examples:
        >>> from qec.circuits import RepetitionCode
        >>> from qec.noise import CodeCapacity
        >>> problem = DecodingProblem(CodeCapacity(p=0.01).noisy_circuit(
        ...     RepetitionCode(distance=3).memory_circuit(rounds=1, basis="Z")))
        >>> chains = FailureChains(problem, scales=[4.0, 1.0], starts=[np.array([0, 1])],
        ...                        rng=np.random.default_rng(0))
        >>> histograms = chains.run(steps=200, burn_in=0)[0]  # the one group
        >>> histograms.sum(axis=1).tolist(), int(histograms[:, :2].sum())  # >= 2 flips
        ([200, 200], 0)
    """

    def __init__(
        self,
        problem: DecodingProblem,
        *,
        scales: Sequence[float],
        starts: Sequence[np.ndarray | Sequence[np.ndarray]],
        rng: np.random.Generator,
        groups: Sequence[int] | None = None,
        resample_fraction: float | None = None,
        shares: np.ndarray | None = None,
        kinds_level: int = -1,
    ) -> None:
        self.problem = problem
        core = math.ceil(problem.graphlike_distance / 2)
        self.resample_fraction = 1 / (1 + core) if resample_fraction is None else resample_fraction
        self.rng = rng
        self.scales = np.asarray(scales, dtype=np.float64)
        self.ladders = len(starts)
        levels = len(self.scales)
        self._odds = problem.sampler.odds
        self._total_odds = float(self._odds.sum())
        self._cumulative_odds = np.cumsum(self._odds)
        near = problem.neighbours
        self._near_start = near.indptr[:-1].astype(np.int64)
        self._near_count = np.diff(near.indptr).astype(np.int64)
        self._near = near.indices.astype(np.int64)
        # One extra all-zero row: "no second mechanism" in a move's XOR.
        self._detector_bits = np.vstack([problem.detector_bits, problem.detector_bits[:1] * 0])
        self._observable_bits = np.vstack(
            [problem.observable_bits, problem.observable_bits[:1] * 0]
        )
        states = self.ladders * levels
        # slot[m, j]: the state serving level j of ladder m; level[c]: the level of state c.
        self._slot = np.arange(states).reshape(self.ladders, levels)
        self._level = np.tile(np.arange(levels), self.ladders)
        labels = np.zeros(self.ladders, dtype=np.int64) if groups is None else np.asarray(groups)
        self.groups = int(labels.max()) + 1
        self._group = np.repeat(labels, levels)  # states never change ladder
        self._shares = shares
        self._kinds_level = kinds_level
        self.kind_sums = np.zeros((self.groups, 0 if shares is None else shares.shape[1]))
        per_level = [
            [start] * levels if isinstance(start, np.ndarray) else list(start) for start in starts
        ]
        capacity = max(8, 2 * max(len(s) for ladder in per_level for s in ladder))
        self._members = np.zeros((states, capacity), dtype=np.int64)
        self._present = np.zeros((states, problem.num_mechanisms), dtype=bool)
        self._faults = np.zeros(states, dtype=np.int64)
        self._syndromes = np.zeros((states, self._detector_bits.shape[1]), dtype=np.uint8)
        self._flips = np.zeros((states, self._observable_bits.shape[1]), dtype=np.uint8)
        for m, ladder in enumerate(per_level):
            for c, start in zip(self._slot[m], ladder, strict=True):
                self.replace(int(c), start)
        self.proposals = 0
        self.accepted = 0
        self.decoded = 0
        self.exchanges = 0
        self._parity = 0
        self.steps_done = 0
        width = 2 * int(self._faults.max()) + 8
        self.histograms = np.zeros((self.groups, levels, width), dtype=np.int64)

    def snapshot(self) -> ChainsSnapshot:
        """The chains' state now, for `restore`."""
        held = np.arange(self._members.shape[1]) < self._faults[:, None]
        counters = (self.steps_done, self.proposals, self.accepted, self.decoded)
        return ChainsSnapshot(
            members=self._members[held],
            faults=self._faults.copy(),
            slot=self._slot.copy(),
            histograms=self.histograms.copy(),
            kind_sums=self.kind_sums.copy(),
            counters=(*counters, self.exchanges, self._parity, self._members.shape[1]),
            rng_state=self.rng.bit_generator.state,
        )

    def restore(self, snapshot: ChainsSnapshot) -> None:
        """Puts the chains (of the same problem, scales, ladders and groups) back in the
        state of `snapshot`: `run` then goes on as if it had never stopped."""
        (self.steps_done, self.proposals, self.accepted, self.decoded, self.exchanges) = (
            snapshot.counters[:5]
        )
        self._parity, capacity = snapshot.counters[5:]
        self._members = np.zeros((len(self._faults), capacity), dtype=np.int64)
        self._present[:] = False
        self._faults[:] = 0
        for state, configuration in enumerate(snapshot.configurations()):
            self.replace(state, configuration)
        self._slot = snapshot.slot.copy()
        self._level[self._slot] = np.arange(self._slot.shape[1])
        self.histograms = snapshot.histograms.copy()
        self.kind_sums = snapshot.kind_sums.copy()
        self.rng.bit_generator.state = dict(snapshot.rng_state)

    def replace(self, state: int, configuration: np.ndarray) -> None:
        """Sets one state to `configuration` (a failing set of mechanism indices)."""
        configuration = np.asarray(configuration, dtype=np.int64)
        self._set_members(state, configuration)
        self._syndromes[state] = np.bitwise_xor.reduce(
            self._detector_bits[configuration], axis=0, initial=0
        )
        self._flips[state] = np.bitwise_xor.reduce(
            self._observable_bits[configuration], axis=0, initial=0
        )

    def _set_members(self, state: int, configuration: np.ndarray) -> None:
        if len(configuration) > self._members.shape[1]:
            self._members = np.pad(self._members, ((0, 0), (0, len(configuration))))
        self._present[state, self._members[state, : self._faults[state]]] = False
        self._members[state, : len(configuration)] = configuration
        self._present[state, configuration] = True
        self._faults[state] = len(configuration)

    def top_states(self) -> np.ndarray:
        """The state serving the top level of each ladder."""
        return self._slot[:, 0].copy()

    def run(
        self,
        *,
        steps: int,
        burn_in: int,
        refresh: Callable[[int], None] | None = None,
        deadline: float | None = None,
    ) -> np.ndarray | None:
        """Runs the chains on to step `steps` (a move per state, then exchanges) and
        returns, per group and level, the histogram of fault counts of its states over
        the steps after `burn_in`, summed over the group's ladders (histograms[g, j, w]).
        `refresh(step)` is called before each step, to replace top states with fresh
        draws. Returns None, unfinished, once the wall clock (`time.time()`) passes
        `deadline` (read every 16 steps, after at least one step): the steps taken are
        kept, and a later call (or one on chains restored from a `snapshot`) goes on
        from there."""
        first = self.steps_done
        for step in range(first, steps):
            # Every call advances, so pausing at checkpoints always makes progress.
            if deadline is not None and step % 16 == 0 and step > first and time.time() > deadline:
                return None
            if refresh is not None:
                refresh(step)
            self.step()
            for _ in range(EXCHANGES_PER_STEP):
                self.exchange()
            if step >= burn_in:
                if self._faults.max() >= self.histograms.shape[2]:
                    grow = int(self._faults.max()) + 1
                    self.histograms = np.pad(self.histograms, ((0, 0), (0, 0), (0, grow)))
                np.add.at(self.histograms, (self._group, self._level, self._faults), 1)
                if self._shares is not None:
                    self._count_kinds(self._shares)
            self.steps_done = step + 1
        return self.histograms

    def _count_kinds(self, shares: np.ndarray) -> None:
        """Adds n_K of the states at `kinds_level` to `kind_sums`, per group."""
        states = self._slot[:, self._kinds_level]
        members = self._members[states]
        held = np.arange(members.shape[1]) < self._faults[states][:, None]
        counts = (shares[members] * held[:, :, None]).sum(axis=1)
        np.add.at(self.kind_sums, self._group[states], counts)

    def exchange(self) -> None:
        """Offers every other pair of neighbouring levels of each ladder an exchange of
        their states, alternating the even and the odd pairs."""
        levels = len(self.scales)
        first = np.arange(self._parity, levels - 1, 2)
        self._parity ^= 1
        if len(first) == 0:
            return
        upper = self._slot[:, first]
        lower = self._slot[:, first + 1]
        log_ratio = np.log(self.scales[first + 1] / self.scales[first])
        log_accept = (self._faults[upper] - self._faults[lower]) * log_ratio
        swap = np.log(self.rng.random(upper.shape)) < log_accept
        self.exchanges += int(swap.sum())
        ladders, pairs = np.nonzero(swap)
        a, b = upper[swap], lower[swap]
        self._slot[ladders, first[pairs]] = b
        self._slot[ladders, first[pairs] + 1] = a
        self._level[a], self._level[b] = first[pairs] + 1, first[pairs]

    def step(self) -> None:
        """One proposal per state, accepted or rejected by Metropolis-Hastings at its
        level's scale and by whether the decoder fails on the new configuration."""
        rng = self.rng
        states = len(self._faults)
        rows = np.arange(states)
        nothing = self.problem.num_mechanisms
        move = rng.integers(0, MOVES, size=states)
        faults = self._faults
        position = np.minimum(
            (rng.random(states) * faults).astype(np.int64), np.maximum(faults - 1, 0)
        )
        chosen = self._members[rows, position]
        added = self._by_odds(states)
        count = self._near_count[chosen]
        pick = np.minimum((rng.random(states) * count).astype(np.int64), np.maximum(count - 1, 0))
        moved_to = np.where(count > 0, self._near[self._near_start[chosen] + pick], chosen)

        load = self.scales[self._level] * self._total_odds
        ratio = np.ones(states)
        first = np.full(states, nothing, dtype=np.int64)
        second = np.full(states, nothing, dtype=np.int64)
        is_add, is_remove, is_move = move == _ADD, move == _REMOVE, move == _MOVE
        ratio[is_add] = load[is_add] / (faults[is_add] + 1)
        first[is_add] = added[is_add]
        ratio[is_remove] = faults[is_remove] / load[is_remove]
        first[is_remove] = chosen[is_remove]
        ratio[is_move] = (
            self._odds[moved_to[is_move]]
            / self._odds[chosen[is_move]]
            * count[is_move]
            / np.maximum(self._near_count[moved_to[is_move]], 1)
        )
        first[is_move] = chosen[is_move]
        second[is_move] = moved_to[is_move]
        valid = (faults > 0) | is_add
        valid &= ~(is_add & self._present[rows, added])
        valid &= ~(is_move & ((count == 0) | self._present[rows, moved_to]))
        self.proposals += states
        candidates = np.flatnonzero(valid & (move != _RESAMPLE) & (rng.random(states) < ratio))
        syndromes = (
            self._syndromes[candidates]
            ^ self._detector_bits[first[candidates]]
            ^ self._detector_bits[second[candidates]]
        )
        flips = (
            self._flips[candidates]
            ^ self._observable_bits[first[candidates]]
            ^ self._observable_bits[second[candidates]]
        )
        resampled = np.flatnonzero(move == _RESAMPLE)
        dropped, joined, resampled_syndromes, resampled_flips = self._resampling(resampled)
        syndromes = np.concatenate([syndromes, resampled_syndromes])
        flips = np.concatenate([flips, resampled_flips])
        if len(syndromes) == 0:
            return
        self.decoded += len(syndromes)
        fails = self.problem.decoding_failures(syndromes, flips)
        self.accepted += int(fails.sum())
        local = fails[: len(candidates)]
        taken = candidates[local]
        self._syndromes[taken] = syndromes[: len(candidates)][local]
        self._flips[taken] = flips[: len(candidates)][local]
        self._apply(taken, move[taken], position[taken], first[taken], second[taken])
        for k in np.flatnonzero(fails[len(candidates) :]):
            state = int(resampled[k])
            kept = self._members[state, : self._faults[state]][~dropped[k, : self._faults[state]]]
            configuration = np.concatenate([kept, joined[k]])
            self._syndromes[state] = resampled_syndromes[k]
            self._flips[state] = resampled_flips[k]
            self._set_members(state, configuration)

    def _resampling(
        self, states: np.ndarray
    ) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
        """Resampling proposals for `states`: which of their members each drops (a mask
        over the members array), which mechanisms each gains, and the proposed
        syndromes and observable flips.

        A mechanism outside E joins with probability q_i = rho p_i(s): the joining
        mechanisms are those hit by Poisson processes of rates -log(1 - q_i), drawn by
        thinning processes of rates rho s o_i, which bound them (the derivative of
        -log(1 - rho u / (1 + u)) in u = s o_i is at most rho)."""
        rng, rho = self.rng, self.resample_fraction
        scale = self.scales[self._level[states]]
        members = self._members[states]
        held = np.arange(members.shape[1]) < self._faults[states][:, None]
        member_odds = scale[:, None] * self._odds[members]
        silent = 1 / (1 + member_odds)  # 1 - p_i(s): redrawn, the fault does not fire
        dropped = held & (rng.random(members.shape) < rho * silent)

        bound = rho * scale
        drawn = rng.poisson(bound * self._total_odds)
        owner = np.repeat(np.arange(len(states)), drawn)
        picked = self._by_odds(len(owner))
        odds = scale[owner] * self._odds[picked]
        rate = -np.log1p(-rho * odds / (1 + odds))
        keep = rng.random(len(owner)) * bound[owner] * self._odds[picked] < rate
        keep &= ~self._present[states[owner], picked]
        # Each (state, mechanism) pair once, sorted by state: as one integer key, since
        # numpy's unique over rows compares structured arrays, which is slower and turns
        # a KeyboardInterrupt raised inside it into a TypeError.
        mechanisms = self.problem.num_mechanisms
        owner, picked = np.divmod(np.unique(owner[keep] * mechanisms + picked[keep]), mechanisms)
        joined = np.split(picked, np.searchsorted(owner, np.arange(1, len(states))))

        drop_row, drop_column = np.nonzero(dropped)
        changed_syndromes, changed_flips = self.problem.fault_set_flips(
            len(states),
            np.concatenate([drop_row, owner]),
            np.concatenate([members[drop_row, drop_column], picked]),
        )
        syndromes = self._syndromes[states] ^ changed_syndromes
        flips = self._flips[states] ^ changed_flips
        return dropped, joined, syndromes, flips

    def _by_odds(self, count: int) -> np.ndarray:
        """`count` mechanisms drawn independently, each i with probability o_i / O."""
        drawn = np.searchsorted(self._cumulative_odds, self.rng.random(count) * self._total_odds)
        return np.minimum(drawn, self.problem.num_mechanisms - 1)

    def _apply(
        self,
        taken: np.ndarray,
        move: np.ndarray,
        position: np.ndarray,
        first: np.ndarray,
        second: np.ndarray,
    ) -> None:
        adds = taken[move == _ADD]
        if len(adds) and self._faults[adds].max() >= self._members.shape[1]:
            self._members = np.pad(self._members, ((0, 0), (0, self._members.shape[1])))
        added = first[move == _ADD]
        self._members[adds, self._faults[adds]] = added
        self._present[adds, added] = True
        self._faults[adds] += 1

        removes = taken[move == _REMOVE]
        where = position[move == _REMOVE]
        self._present[removes, first[move == _REMOVE]] = False
        self._faults[removes] -= 1
        self._members[removes, where] = self._members[removes, self._faults[removes]]

        moves = taken[move == _MOVE]
        self._present[moves, first[move == _MOVE]] = False
        self._present[moves, second[move == _MOVE]] = True
        self._members[moves, position[move == _MOVE]] = second[move == _MOVE]

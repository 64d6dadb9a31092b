"""Stratified sampling: fault sets drawn stratum by stratum (a fixed number of faults
each), weighted by the probability of that many faults; any sinter decoder."""

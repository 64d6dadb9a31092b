"""What every estimator shares: the detector error model's independent mechanisms, the
bit-packed decoding problem (sample faults, decode, count failures), fault sets drawn
with a fixed number of faults, and the first-order failure probability."""

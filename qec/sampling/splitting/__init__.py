"""Multilevel splitting: chains of failing fault configurations walked down a ladder of
noise strengths, the rate a product of the ratios between levels; any sinter decoder."""

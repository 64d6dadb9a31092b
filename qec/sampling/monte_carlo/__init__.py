"""Direct Monte Carlo: whole shots sampled by stim and decoded, on sinter's processes or
as seeded units on Dask; counts are shots and errors."""

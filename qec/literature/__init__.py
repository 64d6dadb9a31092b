"""Papers and claims in one place: published values with their sources and noise
definitions, the papers' fitting conventions, and the reports that set our results
beside them (thresholds, the cat-qubit papers, the Ocelot chip, the vendors' claims).

Nothing below this layer imports from it."""

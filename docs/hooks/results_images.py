"""mkdocs hook: the committed figures of `results/` are served as `results/*.png`, so
that the result pages show them without a second copy under `docs/`."""

from __future__ import annotations

import pathlib
from typing import Any

from mkdocs.structure.files import File, Files

RESULTS = pathlib.Path(__file__).resolve().parents[2] / "results"


def on_files(files: Files, config: Any) -> Files:
    for image in sorted(RESULTS.glob("*.png")):
        files.append(
            File(
                f"results/{image.name}",
                src_dir=str(RESULTS.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files

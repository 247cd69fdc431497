"""Key files are created exactly once even when several processes start together."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from videoforge.signing_keys import KeyStore, create_once


def first_kid_and_secret(root: str) -> tuple[str, bytes]:
    store = KeyStore(Path(root))
    return store.signing_keys()[0].kid, store.media_secret()


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    root = tmp_path / "keys"
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(first_kid_and_secret, [str(root)] * 8))
    assert len(set(results)) == 1
    assert sorted(p.name for p in root.rglob("*")) == ["0001.pem", "media-secret", "signing"]


def test_create_once_keeps_the_first_contents(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "file"
    assert create_once(path, lambda: b"first") == b"first"
    assert create_once(path, lambda: b"second") == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["file"]  # no temporary files left
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_the_loser_of_a_race_reads_the_winners_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"

    def slow_make() -> bytes:
        # Another process finishes first while this one is still writing its own file.
        create_once(path, lambda: b"winner")
        return b"loser"

    assert create_once(path, slow_make) == b"winner"
    assert path.read_bytes() == b"winner"
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]

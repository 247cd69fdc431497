"""What a server left behind on its machine: ffmpeg processes still running, and HLS folders
holding more than one clean set of outputs (end-to-end tests and the chaos benchmark)."""

from __future__ import annotations

from pathlib import Path

from videoforge.storage.layout import PLAYLIST_NAME


def ffmpeg_processes_under(data_dir: Path) -> dict[int, str]:
    """Running ffmpeg processes that read or write inside data_dir: pid -> command line."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and b"ffmpeg" in args[0] and any(str(data_dir).encode() in a for a in args):
            found[int(cmdline.parent.name)] = b" ".join(args).decode(errors="replace")
    return found


def hls_problems(hls_dir: Path) -> list[str]:
    """Why the HLS folder is not one finished set of outputs (empty when it is): in each rung,
    the playlist is complete, lists each segment once, and every file is one it references
    (nothing left over from a killed attempt)."""
    if not hls_dir.is_dir():
        return [f"{hls_dir} is missing"]
    problems = []
    for rung in sorted(p for p in hls_dir.iterdir() if p.is_dir()):
        playlist_path = rung / PLAYLIST_NAME
        if not playlist_path.is_file():
            problems.append(f"{rung.name}: no playlist")
            continue
        playlist = playlist_path.read_text().splitlines()
        segments = [line for line in playlist if line and not line.startswith("#")]
        if len(segments) != len(set(segments)):
            problems.append(f"{rung.name}: a segment is listed twice")
        if "#EXT-X-ENDLIST" not in playlist:
            problems.append(f"{rung.name}: the playlist is not finished")
        on_disk = {p.name for p in rung.iterdir()} - {PLAYLIST_NAME}
        referenced = set(segments) | {
            line.split('URI="')[1].rstrip('"') for line in playlist if "EXT-X-MAP" in line
        }
        if on_disk != referenced:
            extra, missing = sorted(on_disk - referenced), sorted(referenced - on_disk)
            problems.append(f"{rung.name}: files not referenced {extra}, missing {missing}")
    return problems

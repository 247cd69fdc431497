"""Planning ffmpeg commands (pure: probe result, rungs and settings in, argv out).

One process makes the whole ladder: the source is decoded once, `split` feeds one scaler and
one libx264 encoder per rung, the audio is encoded once as its own rendition, and one HLS muxer
writes fMP4 segments, the media playlists and the master playlist. Keyframes are forced on a
fixed time grid in every rung (scene cuts off, closed GOPs), so segments line up across rungs
and a player can switch between them at any segment boundary.
"""

from __future__ import annotations

from pathlib import Path

from videoforge.config import Settings
from videoforge.media.facts import ProbeResult
from videoforge.media.h264 import PROFILE, level_for
from videoforge.media.rung import AUDIO_BITRATE, AUDIO_NAME, Rung
from videoforge.media.tools import find_ffmpeg
from videoforge.storage.layout import (
    INIT_NAME,
    INIT_PATTERN,
    MASTER_NAME,
    PLAYLIST_NAME,
    SEGMENT_PATTERN,
)

# Deinterlace only frames flagged interlaced, one output frame per input frame.
DEINTERLACE = "bwdif=mode=send_frame:deint=interlaced"
AUDIO_RATES = (44100, 48000)  # kept as they are; anything else is resampled to 48 kHz


def plan_hls(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    out_dir: Path,
    *,
    source: Path,
    ffmpeg: str | None = None,
) -> list[str]:
    """argv of one ffmpeg writing `out_dir/master.m3u8` and `out_dir/{rung}/...` (out_dir must
    exist: the muxer makes the rung directories but not their parent)."""
    audio = probe.default_audio
    if not rungs and audio is None:
        raise ValueError("nothing to encode: no rungs and no audio")
    argv = [
        *base_args(ffmpeg or find_ffmpeg(settings)),
        *("-progress", "pipe:1", "-nostats"),
        *("-i", str(source)),
        *("-map_metadata", "-1", "-map_chapters", "-1"),
    ]
    graph = _ladder_graph(probe, rungs)
    if graph:
        argv += ["-filter_complex", graph]
    argv += _video_maps(probe, rungs)
    if audio is not None:
        argv += ["-map", f"0:{audio.index}"]
    if rungs:
        argv += _video_codec_args(probe, rungs, settings)
    if audio is not None:
        argv += _audio_codec_args(audio.sample_rate)
    if settings.ffmpeg_threads:
        argv += ["-threads", str(settings.ffmpeg_threads)]
    return argv + _hls_muxer_args(rungs, audio is not None, settings, out_dir)


def base_args(ffmpeg: str) -> list[str]:
    """What every planned command starts with: quiet but for errors, never reading stdin."""
    return [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]


def _ladder_graph(probe: ProbeResult, rungs: list[Rung]) -> str | None:
    """`[0:N]bwdif,split=3[s0][s1][s2];[s0]fps,scale,setsar,format[v0];...` for the encoded
    rungs (a copied top rung bypasses the graph); None when nothing is encoded."""
    encoded = [(i, rung) for i, rung in enumerate(rungs) if not rung.copy]
    if not encoded:
        return None
    head = f"[0:{probe.video_index or 0}]"
    before_split = [DEINTERLACE] if probe.interlaced else []
    if len(encoded) == 1:
        index, rung = encoded[0]
        return head + ",".join([*before_split, *_rung_filters(rung)]) + f"[v{index}]"
    split = f"split={len(encoded)}" + "".join(f"[s{i}]" for i, _ in encoded)
    chains = [head + ",".join([*before_split, split])]
    chains += [f"[s{i}]" + ",".join(_rung_filters(rung)) + f"[v{i}]" for i, rung in encoded]
    return ";".join(chains)


def _video_maps(probe: ProbeResult, rungs: list[Rung]) -> list[str]:
    maps = []
    for index, rung in enumerate(rungs):
        maps += ["-map", f"0:{probe.video_index or 0}" if rung.copy else f"[v{index}]"]
    return maps


def _rung_filters(rung: Rung) -> list[str]:
    """Lower the rate first (fewer frames to scale), scale to the display size, square pixels,
    8-bit 4:2:0 whatever the source's depth."""
    filters = [f"fps={rung.fps_limit}"] if rung.fps_limit else []
    return [*filters, f"scale={rung.width}:{rung.height}", "setsar=1", "format=yuv420p"]


def keyframe_interval(rung: Rung, probe: ProbeResult, settings: Settings, copying: bool) -> int:
    """Frames between keyframes. When frame counts do not track the keyframe grid (a variable
    rate, or keyframes taken from a copied source), the interval is made long enough that only
    the forced keyframes occur."""
    frames = max(1, round((rung.fps or 30.0) * settings.keyframe_seconds))
    variable = probe.variable_frame_rate and not rung.fps_limit
    return frames * 4 if variable or copying else frames


def _video_codec_args(probe: ProbeResult, rungs: list[Rung], settings: Settings) -> list[str]:
    """libx264 for every encoded rung, keyframes on a time grid; with a copied top rung the
    others take their keyframes where the source has them instead, so all stay aligned."""
    copying = any(rung.copy for rung in rungs)
    grid = f"expr:gte(t,n_forced*{settings.keyframe_seconds})"
    args = [*("-c:v", "libx264", "-preset", settings.x264_preset)]
    if not copying:
        args += ["-force_key_frames:v", grid]
    args += ["-sc_threshold:v", "0", "-flags:v", "+cgop"]
    for index, rung in enumerate(rungs):
        if rung.copy:
            args += [f"-c:v:{index}", "copy"]
            continue
        gop = str(keyframe_interval(rung, probe, settings, copying))
        level = level_for(rung.width, rung.height, rung.fps or 30.0, rung.maxrate)
        if copying:
            args += [f"-force_key_frames:v:{index}", "source"]
        args += [
            *(f"-crf:v:{index}", str(rung.crf)),
            *(f"-maxrate:v:{index}", str(rung.maxrate), f"-bufsize:v:{index}", str(rung.bufsize)),
            *(f"-profile:v:{index}", PROFILE, f"-level:v:{index}", level),
            *(f"-g:v:{index}", gop, f"-keyint_min:v:{index}", gop),
        ]
    return args


def _audio_codec_args(sample_rate: int) -> list[str]:
    args = ["-c:a", "aac", "-b:a", str(AUDIO_BITRATE), "-ac", "2"]
    return args if sample_rate in AUDIO_RATES else [*args, "-ar", "48000"]


def _hls_muxer_args(
    rungs: list[Rung], has_audio: bool, settings: Settings, out_dir: Path
) -> list[str]:
    variants = len(rungs) + (1 if has_audio else 0)
    # With several variants the init file name must contain %v, with one it must not.
    init_name = INIT_PATTERN if variants > 1 else INIT_NAME
    return [
        *("-f", "hls", "-hls_time", str(settings.segment_seconds)),
        *("-hls_playlist_type", "event", "-hls_segment_type", "fmp4"),
        *("-hls_fmp4_init_filename", init_name),
        *("-hls_segment_filename", str(out_dir / "%v" / SEGMENT_PATTERN)),
        *("-start_number", "1", "-hls_flags", "independent_segments+temp_file"),
        *("-master_pl_name", MASTER_NAME),
        *("-var_stream_map", var_stream_map(rungs, has_audio)),
        str(out_dir / "%v" / PLAYLIST_NAME),
    ]


def var_stream_map(rungs: list[Rung], has_audio: bool) -> str:
    """Every video variant refers to the one audio group; `default:yes` keeps the audio from
    also being listed as an audio-only variant."""
    if not rungs:
        return f"a:0,name:{AUDIO_NAME}"
    group = f",agroup:{AUDIO_NAME}" if has_audio else ""
    entries = [f"v:{i}{group},name:{rung.name}" for i, rung in enumerate(rungs)]
    if has_audio:
        entries.append(f"a:0,agroup:{AUDIO_NAME},default:yes,name:{AUDIO_NAME}")
    return " ".join(entries)

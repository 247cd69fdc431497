// Seek-bar previews: a WebVTT file whose cues name tiles of a sprite image with `#xywh=`
// fragments (the form players' thumbnail tracks use). Image paths resolve against the VTT's URL.

function seconds(stamp) {
  // "hh:mm:ss.ttt" or "mm:ss.ttt"
  return stamp.split(':').reduce((total, part) => total * 60 + Number.parseFloat(part), 0);
}

export function parseStoryboard(text, vttUrl) {
  const base = new URL(vttUrl, window.location.href);
  const cues = [];
  for (const block of text.replace(/\r/g, '').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((line) => line.includes('-->'));
    if (at < 0 || !lines[at + 1]) continue;
    const [start, end] = lines[at].split('-->').map((s) => seconds(s.trim().split(/\s+/)[0]));
    const [file, fragment = ''] = lines[at + 1].trim().split('#');
    const box = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(fragment);
    if (!box || !Number.isFinite(start) || !Number.isFinite(end)) continue;
    const [x, y, w, h] = box.slice(1).map(Number);
    cues.push({ start, end, image: new URL(file, base).href, x, y, w, h });
  }
  return cues;
}

// The tile for a moment: the cue that covers it, else the nearest one before it.
export function tileAt(cues, time) {
  let found = null;
  for (const cue of cues) {
    if (cue.start <= time) found = cue;
    if (time < cue.end) break;
  }
  return found;
}

// The storyboard's cues, or [] when the video has none (a 404 is no error for the viewer).
export async function loadStoryboard(url, signal) {
  if (!url) return [];
  try {
    const res = await fetch(url, { signal });
    return res.ok ? parseStoryboard(await res.text(), url) : [];
  } catch {
    return [];
  }
}

// Links at a moment of the video: ?t=90, ?t=90s or ?t=1m30s (as YouTube writes them).
export function parseStartTime(value) {
  if (!value) return null;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(String(value).trim());
  if (!match || !match[0]) return null;
  const [, h = 0, m = 0, s = 0] = match;
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

// The share link with ?t= set to these whole seconds (the link's own query is kept).
export function linkAtTime(path, seconds) {
  const url = new URL(path, window.location.origin);
  const whole = Math.floor(seconds);
  if (whole > 0) url.searchParams.set('t', String(whole));
  else url.searchParams.delete('t');
  return url.href;
}

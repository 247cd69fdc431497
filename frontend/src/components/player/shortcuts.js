// YouTube's keyboard shortcuts, page-wide while the player is on the page, but never while the
// person types in a field or works a button or link with Space or Enter.
const TYPING_INPUTS = new Set(['text', 'search', 'email', 'password', 'number', 'tel', 'url']);

export function isTyping(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable || target.closest('textarea, select, [contenteditable]')) return true;
  return target instanceof HTMLInputElement && TYPING_INPUTS.has(target.type || 'text');
}

// The action for a keydown, or null. `actions` holds the player's operations.
export function shortcutFor(event, actions) {
  const { key } = event;
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return null;
  const onControl = event.target instanceof Element && event.target.closest('button, a, summary');
  if (onControl && (key === ' ' || key === 'Enter')) return null;
  // A slider that is not the seek bar (the volume) keeps its arrow keys.
  if (key.startsWith('Arrow') && event.target.closest?.('[data-own-arrows]')) return null;
  if (/^[0-9]$/.test(key)) return () => actions.seekToFraction(Number(key) / 10);
  const table = {
    ' ': actions.togglePlay,
    k: actions.togglePlay,
    j: () => actions.seekBy(-10),
    l: () => actions.seekBy(10),
    ArrowLeft: () => actions.seekBy(-5),
    ArrowRight: () => actions.seekBy(5),
    ArrowUp: () => actions.volumeBy(0.05),
    ArrowDown: () => actions.volumeBy(-0.05),
    f: actions.toggleFullscreen,
    m: actions.toggleMute,
    c: actions.toggleCaptions,
    t: actions.toggleTheatre,
    '<': () => actions.speedStep(-1),
    '>': () => actions.speedStep(1),
  };
  return table[key] ?? table[key.toLowerCase()] ?? null;
}

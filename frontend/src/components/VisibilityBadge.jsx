// "Private" or "Unlisted" next to a video its owner or an administrator sees; nothing for public.
const WORDS = { private: 'Private', unlisted: 'Unlisted' };

export function VisibilityBadge({ visibility }) {
  const word = WORDS[visibility];
  return word ? <span class={`badge visibility-${visibility}`}>{word}</span> : null;
}

// "Copy link" for a share URL; where the clipboard is refused, the link is shown to copy by hand.
import { useRef, useState } from 'preact/hooks';

export function CopyLink({ path, label = 'Copy share link' }) {
  const url = new URL(path, window.location.origin).href;
  const [state, setState] = useState('idle');
  const inputRef = useRef(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState('copied');
      setTimeout(() => setState('idle'), 2500);
    } catch {
      setState('manual');
      setTimeout(() => inputRef.current?.select(), 0);
    }
  };

  return (
    <span class="copy-link">
      <button type="button" class="button secondary small" onClick={copy} data-share-url={url}>
        {label}
      </button>
      <span role="status" class="small">
        {state === 'copied' && 'Link copied.'}
      </span>
      {state === 'manual' && (
        <input ref={inputRef} class="share-input" readOnly value={url} aria-label="Share link"
          onFocus={(e) => e.currentTarget.select()} />
      )}
    </span>
  );
}

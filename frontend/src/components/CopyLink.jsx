// "Copy link" for a share URL; where the clipboard is refused, the link is shown to copy by hand.
// `path` may be a function, asked at the moment of copying (a link at the current time).
import { useRef, useState } from 'preact/hooks';

export function CopyLink({ path, label = 'Copy share link' }) {
  const urlNow = () => new URL(typeof path === 'function' ? path() : path, window.location.origin).href;
  const [state, setState] = useState('idle');
  const [copied, setCopied] = useState(null); // the URL last copied
  const url = copied ?? (typeof path === 'function' ? undefined : urlNow());
  const inputRef = useRef(null);

  const copy = async () => {
    const url = urlNow();
    setCopied(url);
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

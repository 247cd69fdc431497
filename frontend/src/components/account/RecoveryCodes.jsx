// Recovery codes, shown once: copy them or save them as a text file before going on.
import { useEffect, useMemo, useState } from 'preact/hooks';

export function RecoveryCodes({ codes, onDone, doneLabel = 'I have saved my codes' }) {
  const [copied, setCopied] = useState(false);
  const text = `VideoForge recovery codes (each works once):\n\n${codes.join('\n')}\n`;
  const download = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false); // the list stays on screen to copy by hand
    }
  };

  return (
    <div class="recovery-codes" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Your recovery codes</h2>
      <p>
        Keep these somewhere safe. Each one signs you in once if you lose your authenticator.
        <strong> They are shown only now.</strong>
      </p>
      <ol class="code-list" data-testid="recovery-codes">
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ol>
      <div class="actions">
        <button type="button" class="button secondary small" onClick={copy}>Copy codes</button>
        <a class="button secondary small" href={download} download="videoforge-recovery-codes.txt">
          Download as a file
        </a>
        <span role="status" class="small">{copied && 'Codes copied.'}</span>
      </div>
      {onDone && (
        <p><button type="button" class="button" onClick={onDone}>{doneLabel}</button></p>
      )}
    </div>
  );
}

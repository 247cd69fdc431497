// A labelled form control with optional hint; the label and hint are tied to the control.
import { useMemo } from 'preact/hooks';

let counter = 0;
const nextId = () => `field-${++counter}`;

export function Field({ label, hint, children, id: givenId }) {
  const id = useMemo(() => givenId || nextId(), [givenId]);
  const hintId = hint ? `${id}-hint` : undefined;
  const control = typeof children === 'function' ? children({ id, 'aria-describedby': hintId }) : children;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {control}
      {hint && (
        <small id={hintId} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export function ErrorMessage({ error }) {
  if (!error) return null;
  return (
    <p class="alert error" role="alert">
      {error.message || String(error)}
    </p>
  );
}

// A modal question with a confirm and a cancel button (the native <dialog> keeps focus inside).
import { useEffect, useId, useRef } from 'preact/hooks';

export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel }) {
  const ref = useRef(null);
  const titleId = useId(); // one per dialog: a page with many has no two titles alike
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <div class="actions">
        <button type="button" class="button secondary" onClick={onCancel} autoFocus>Cancel</button>
        <button type="button" class="button danger" onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </dialog>
  );
}

// A control bar button that opens a small panel above it (the disclosure pattern: the button
// says whether it is open; Escape or a click elsewhere closes it and focus returns).
import { useEffect, useId, useRef } from 'preact/hooks';

export function MenuButton({ label, icon, open, onOpen, onClose, children, name }) {
  const id = useId();
  const buttonRef = useRef(null);
  const panelRef = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e) => {
      if (!panelRef.current?.contains(e.target) && !buttonRef.current?.contains(e.target)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    panelRef.current?.querySelector('select, input, button')?.focus();
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const onKeyDown = (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
    buttonRef.current?.focus();
  };
  return (
    <div class="menu-button" onKeyDown={onKeyDown}>
      <button ref={buttonRef} type="button" class="control" aria-label={label} title={label}
        aria-expanded={open ? 'true' : 'false'} aria-controls={id} data-menu={name}
        onClick={() => (open ? onClose() : onOpen())}>
        {icon}
      </button>
      <div ref={panelRef} id={id} class="menu-panel" role="group" aria-label={label} hidden={!open}>
        {children}
      </div>
    </div>
  );
}

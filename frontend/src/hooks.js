// Small hooks shared by pages.
import { useEffect, useState } from 'preact/hooks';

export function usePageTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · VideoForge` : 'VideoForge';
  }, [title]);
}

// Run an async loader when its inputs change: {data, error, loading, reload}.
export function useLoader(load, inputs) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ data, error: null, loading: false }))
      .catch((error) => {
        if (!controller.signal.aborted) setState({ data: null, error, loading: false });
      });
    return () => controller.abort();
  }, [...inputs, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

// A form's submit: {busy, error, setError, run(action)}; run shows what failed and never throws.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

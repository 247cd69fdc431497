// Pages for signed-in people: send everyone else to the sign-in page, then back here.
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useUser } from '../session.js';

export function RequireUser({ children }) {
  const user = useUser();
  const { url, route } = useLocation();
  useEffect(() => {
    if (!user) route(`/signin?next=${encodeURIComponent(url)}`, true);
  }, [user]);
  return user ? children : null;
}

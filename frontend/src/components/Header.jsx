import { useLocation } from 'preact-iso';
import { signOut } from '../auth.js';
import { useUser } from '../session.js';

function NavLink({ href, children }) {
  const { path } = useLocation();
  const current = path === href || (href !== '/' && path.startsWith(href));
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function Header() {
  const user = useUser();
  const { route } = useLocation();
  const onSignOut = async () => {
    if (!(await signOut())) route('/'); // else the browser is off to the provider's sign-out
  };
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
          <rect width="32" height="32" rx="7" fill="currentColor" />
          <path d="M12 9v14l11-7z" fill="#fff" />
        </svg>
        <span class="brand-name">VideoForge</span>
      </a>
      <nav aria-label="Main">
        <NavLink href="/">Gallery</NavLink>
        {user && <NavLink href="/upload">Upload</NavLink>}
        {user && <NavLink href="/me/videos">My videos</NavLink>}
        {user?.role === 'admin' && <NavLink href="/admin">Admin</NavLink>}
      </nav>
      <div class="account-links">
        {user ? (
          <>
            <NavLink href="/account">{user.username}</NavLink>
            <button type="button" class="link-button" onClick={onSignOut}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <NavLink href="/signin">Sign in</NavLink>
            <a class="button small" href="/signup">
              Sign up
            </a>
          </>
        )}
      </div>
    </header>
  );
}

// The app's pages and their addresses. The server answers index.html for each of these paths
// (src/videoforge/web/routes.py keeps the same list of first path segments).
import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { Header } from './components/Header.jsx';
import { Account } from './pages/Account.jsx';
import { Channel } from './pages/Channel.jsx';
import { AuthCallback } from './pages/AuthCallback.jsx';
import { Gallery } from './pages/Gallery.jsx';
import { MyPlaylists } from './pages/MyPlaylists.jsx';
import { MyVideos } from './pages/MyVideos.jsx';
import { NotFound } from './pages/NotFound.jsx';
import { Playlist } from './pages/Playlist.jsx';
import { ConfirmEmail } from './pages/ConfirmEmail.jsx';
import { ResetPassword } from './pages/ResetPassword.jsx';
import { SignIn } from './pages/SignIn.jsx';
import { SignUp } from './pages/SignUp.jsx';

// The player (hls.js) and the uploader (tus-js-client) load only on the pages that use them.
const Watch = lazy(() => import('./pages/Watch.jsx').then((m) => m.Watch));
const Upload = lazy(() => import('./pages/Upload.jsx').then((m) => m.Upload));
const Admin = lazy(() => import('./pages/Admin.jsx').then((m) => m.Admin));
const Embed = lazy(() => import('./pages/Embed.jsx').then((m) => m.Embed));

export function App() {
  // The embeddable player is the player alone: no header, no site around it.
  if (window.location.pathname.startsWith('/embed/')) {
    return (
      <LocationProvider>
        <Router>
          <Route path="/embed/:id" component={Embed} />
          <Route default component={NotFound} />
        </Router>
      </LocationProvider>
    );
  }
  return (
    <LocationProvider>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Router onRouteChange={() => window.scrollTo(0, 0)}>
          <Route path="/" component={Gallery} />
          <Route path="/watch/:id" component={Watch} />
          <Route path="/upload" component={Upload} />
          <Route path="/u/:username" component={Channel} />
          <Route path="/me/videos" component={MyVideos} />
          <Route path="/me/playlists" component={MyPlaylists} />
          <Route path="/playlist/:id" component={Playlist} />
          <Route path="/signin" component={SignIn} />
          <Route path="/signin/reset" component={ResetPassword} />
          <Route path="/auth/callback" component={AuthCallback} />
          <Route path="/signup" component={SignUp} />
          <Route path="/signup/confirm" component={ConfirmEmail} />
          <Route path="/account" component={Account} />
          <Route path="/admin" component={Admin} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </LocationProvider>
  );
}

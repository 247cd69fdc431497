import { usePageTitle } from '../hooks.js';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <section class="page narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <a href="/">Go to the gallery</a>
      </p>
    </section>
  );
}

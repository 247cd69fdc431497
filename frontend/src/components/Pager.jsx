// Previous / next page links that keep the rest of the query.
export function Pager({ pagination, hrefFor }) {
  if (!pagination || pagination.totalPages <= 1) return null;
  const { page, totalPages } = pagination;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={hrefFor(page - 1)} rel="prev">← Previous</a> : <span />}
      <span aria-current="page">
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? <a href={hrefFor(page + 1)} rel="next">Next →</a> : <span />}
    </nav>
  );
}

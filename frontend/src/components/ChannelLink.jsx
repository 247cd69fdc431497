// A video owner's or commenter's name, linking to their channel page (/u/{username}).
export const channelPath = (username) => `/u/${encodeURIComponent(username)}`;

export function ChannelLink({ username, children }) {
  if (!username) return null;
  return <a class="channel-link" href={channelPath(username)}>{children || username}</a>;
}

// The round avatar picture, or the name's first letter when there is none.
export function Avatar({ url, name, size = 40 }) {
  return url ? (
    <img class="avatar" src={url} alt="" width={size} height={size} />
  ) : (
    <span class="avatar avatar-letter" aria-hidden="true" style={{ width: size, height: size }}>
      {(name || '?').slice(0, 1).toUpperCase()}
    </span>
  );
}

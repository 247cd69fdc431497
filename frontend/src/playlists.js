// Playlists: the API's addresses and the watch link that plays a video as part of one.
export const PLAYLISTS = '/api/gallery/playlists';

export const playlistApi = (id) => `${PLAYLISTS}/${encodeURIComponent(id)}`;

export const entryApi = (id, entryId) => `${playlistApi(id)}/entries/${encodeURIComponent(entryId)}`;

export const watchInList = (videoId, listId) =>
  `/watch/${encodeURIComponent(videoId)}?list=${encodeURIComponent(listId)}`;

// The entry after the one playing `videoId`, or null at the end.
export function nextEntry(playlist, videoId) {
  const at = playlist.entries.findIndex((entry) => entry.video.id === videoId);
  return at >= 0 ? playlist.entries[at + 1] || null : null;
}

// Quality names: by the short side of the picture, so a portrait 720x1280 rendition is "720p"
// as the streaming API calls it (not "1280p").
export function levelLabel(level) {
  const side = level.width && level.height ? Math.min(level.width, level.height) : level.height;
  return side ? `${side}p` : `${Math.round(level.bitrate / 1000)} kbps`;
}

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

export function speedLabel(rate) {
  return rate === 1 ? 'Normal' : `${rate}x`;
}

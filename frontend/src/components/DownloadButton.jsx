// "Download MP4": asks the API for the signed download link (with the bearer token, so private
// videos work) and offers it once the file exists; shows nothing for videos without one.
import { useEffect, useState } from 'preact/hooks';
import { authorizedFetch } from '../api.js';

export function DownloadButton({ downloadUrl, title }) {
  const [href, setHref] = useState(null);
  useEffect(() => {
    setHref(null);
    if (!downloadUrl) return undefined;
    const controller = new AbortController();
    // One byte is enough to learn where the redirect leads and that the file is there.
    authorizedFetch(downloadUrl, { headers: { Range: 'bytes=0-0' }, signal: controller.signal })
      .then((res) => {
        if (res.ok && !controller.signal.aborted) setHref(res.url);
        res.body?.cancel().catch(() => {});
      })
      .catch(() => {});
    return () => controller.abort();
  }, [downloadUrl]);
  if (!href) return null;
  const name = `${(title || 'video').replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'video'}.mp4`;
  return (
    <a class="button secondary small" href={href} download={name}>Download MP4</a>
  );
}

// Resumable uploads with tus-js-client: the server's tus 1.0 endpoint, the bearer token on every
// request, and fingerprints kept in localStorage so choosing the same file again after a reload
// or a dropped connection carries on where it stopped.
import { defaultOptions, Upload } from 'tus-js-client';
import { api, freshAccessToken, refreshTokens } from './api.js';

export const ENDPOINT_PATH = '/api/gallery/uploads/';
// Bytes per PATCH: large, for fewest requests (on S3, whole 8-MiB parts and no tail object to
// rewrite), unless the server announces a smaller limit in Tus-Max-Chunk-Size (4 MiB on AWS
// Lambda, whose requests are capped at 6 MB after base64).
const CHUNK_BYTES = 16 * 1024 * 1024;
const VIDEO_EXTENSIONS = new Set([
  '3gp', 'avi', 'flv', 'm2ts', 'm4v', 'mkv', 'mov', 'mp4', 'mpeg', 'mpg', 'mts', 'mxf', 'ogv',
  'ts', 'webm', 'wmv',
]);

// A byte limit the server names in its tus OPTIONS answer (null when it names none).
async function announcedLimit(header) {
  try {
    const res = await fetch(ENDPOINT_PATH, { method: 'OPTIONS' });
    const max = Number.parseInt(res.headers.get(header) || '', 10);
    return Number.isFinite(max) && max > 0 ? max : null;
  } catch {
    return null;
  }
}

// The server's upload size limit.
export function fetchMaxUploadBytes() {
  return announcedLimit('Tus-Max-Size');
}

async function chunkBytes() {
  return Math.min(CHUNK_BYTES, (await announcedLimit('Tus-Max-Chunk-Size')) ?? CHUNK_BYTES);
}

// Why this file cannot be uploaded, or null when it looks fine.
export function refusalReason(file, maxBytes, formatBytes) {
  const extension = file.name.includes('.') ? file.name.split('.').pop().toLowerCase() : '';
  const looksLikeVideo = file.type.startsWith('video/') || VIDEO_EXTENSIONS.has(extension);
  if (!looksLikeVideo) return `“${file.name}” is not a video file.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (maxBytes && file.size > maxBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; the largest upload allowed is ${formatBytes(maxBytes)}.`;
  }
  return null;
}

// Whether trying again may help: a lost connection or a server hiccup, not a refusal (a file
// the server found unreadable stays unreadable).
function retryable(error) {
  const status = error?.originalResponse?.getStatus() ?? 0;
  return status === 0 || status === 409 || status === 423 || status >= 500;
}

// The message a person should see for a failed tus request.
function uploadErrorMessage(error) {
  const res = error?.originalResponse;
  if (res) {
    try {
      const body = JSON.parse(res.getBody());
      if (body?.message) return body.message;
    } catch {
      // not JSON
    }
    if (res.getStatus() === 413) return 'This file is larger than the server accepts.';
    return `The upload was refused (${res.getStatus()}).`;
  }
  return 'The connection was lost. Choose the same file again to carry on where it stopped.';
}

// Start (or resume) an upload. Callbacks: onProgress(sent, total), onDone(videoId),
// onError(message, retryable).
export async function startUpload(file, fields, { onProgress, onDone, onError }) {
  let videoId = null;
  const upload = new Upload(file, {
    endpoint: new URL(ENDPOINT_PATH, window.location.origin).href,
    chunkSize: await chunkBytes(),
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    removeFingerprintOnSuccess: true,
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      title: fields.title,
      description: fields.description,
      visibility: fields.visibility,
    },
    async onBeforeRequest(req) {
      const token = await freshAccessToken();
      if (token) req.setHeader('Authorization', `Bearer ${token}`);
    },
    onAfterResponse(_req, res) {
      videoId = res.getHeader('Video-Id') || videoId;
    },
    onShouldRetry(error) {
      const status = error?.originalResponse?.getStatus() ?? 0;
      if (status === 401) {
        refreshTokens();
        return true;
      }
      // Retry dropped connections, timeouts and server hiccups; not refusals.
      return retryable(error);
    },
    onProgress,
    async onSuccess() {
      if (!videoId && upload.url) {
        // The final answer's Video-Id was lost (proxy, reload): ask which video this upload made.
        const uploadId = upload.url.replace(/\/+$/, '').split('/').pop();
        try {
          videoId = (await api(`${ENDPOINT_PATH}${uploadId}/video`)).id;
        } catch {
          videoId = null;
        }
      }
      onDone(videoId);
    },
    onError(error) {
      onError(uploadErrorMessage(error), retryable(error));
    },
  });
  const previous = await upload.findPreviousUploads();
  if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
  upload.start();
  return { pause: () => upload.abort(), resume: () => upload.start(), resumed: previous.length > 0 };
}

// Uploads that were started in this browser and never finished.
export async function unfinishedUploads() {
  try {
    return await defaultOptions.urlStorage.findAllUploads();
  } catch {
    return [];
  }
}

export function forgetUpload(urlStorageKey) {
  return defaultOptions.urlStorage.removeUpload(urlStorageKey);
}

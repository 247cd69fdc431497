// Live job progress: Server-Sent Events read through fetch (so the Authorization header goes
// along, which EventSource cannot send), reconnecting until the job ends. When too many streams
// are open at once (browsers allow ~6 connections per host) further jobs are polled instead.
import { createParser } from 'eventsource-parser';
import { useEffect, useState } from 'preact/hooks';
import { api, authorizedFetch } from './api.js';

export const TERMINAL = new Set(['ready', 'failed', 'cancelled']);
const MAX_STREAMS = 3;
const RETRY_MS = 3000;
let openStreams = 0;

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function streamOnce(jobId, onJob, signal) {
  const res = await authorizedFetch(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
    headers: { Accept: 'text/event-stream' },
    signal,
  });
  if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
  let last = null;
  const parser = createParser({
    onEvent(event) {
      if (event.event !== 'job_update') return;
      try {
        last = JSON.parse(event.data);
      } catch {
        return;
      }
      onJob(last);
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
    if (last && TERMINAL.has(last.status)) break;
  }
  reader.cancel().catch(() => {});
  return last;
}

async function follow(jobId, onJob, signal) {
  const streaming = openStreams < MAX_STREAMS;
  if (streaming) openStreams += 1;
  try {
    while (!signal.aborted) {
      let job = null;
      try {
        job = streaming
          ? await streamOnce(jobId, onJob, signal)
          : await api(`/api/jobs/${encodeURIComponent(jobId)}`, { signal });
        if (job && !streaming) onJob(job);
      } catch (err) {
        if (signal.aborted) return;
        if (err?.status === 404 || err?.status === 403) return;
      }
      if (job && TERMINAL.has(job.status)) return;
      await sleep(RETRY_MS, signal);
    }
  } finally {
    if (streaming) openStreams -= 1;
  }
}

// The latest state of a job, updated live while it runs. `initial` is shown until news arrives.
export function useJob(jobId, initial = null) {
  const [job, setJob] = useState(initial);
  useEffect(() => {
    setJob(initial);
    if (!jobId) return undefined;
    const controller = new AbortController();
    follow(jobId, setJob, controller.signal);
    return () => controller.abort();
  }, [jobId]);
  return job;
}

export const retryJob = (jobId) => api(`/api/jobs/${jobId}/retry`, { method: 'POST' });
export const cancelJob = (jobId) => api(`/api/jobs/${jobId}/cancel`, { method: 'POST' });

// mattepipe web page: upload, live job list, the open job's images, before/after viewer, downloads.
// Plain ES module, no build step, no external resources. Talks only to the HTTP API (README.md).
// The words people read come from the API (status_text, counts_in_words); state names stay internal.

import { signIn, signedOut } from './signin.js';
import { startTranslation } from './i18n.js';
import { initTouchUp, openTouchUp } from './touchup.js';

const POLL_MS = 1000;
const HIDDEN_POLL_MS = 5000;
const JOBS_PER_PAGE = 30;
const FAILED_PER_PAGE = 20;
/** Time constant of the speed shown, in seconds: long enough to be steady, short enough to follow a change. */
const SPEED_SMOOTHING_S = 20;

const $ = (id) => document.getElementById(id);

const state = {
  files: [],
  xhr: null,
  jobsOffset: 0,
  jobs: [],
  statusCache: new Map(),       // job id -> {key, status, at}
  rows: new Map(),              // job id -> row element
  openJob: null,
  openStatus: null,
  gallery: { filter: '', sort: '', page: 0, size: 60, tasks: [], key: null, tiles: new Map() },
  reviewOpening: false,         // "Check these first" was pressed: open the viewer once the worst are loaded
  failed: { offset: 0, key: null, retryable: 0 },
  selected: new Set(),          // task ids chosen for "Download selected"
  speed: { jobId: null, rate: 0, at: 0, done: 0 },
  retrying: null,               // {jobId, count}: said when the retried images have ended
  viewer: { index: -1, split: 50, opener: null },
  exportBg: { bg: 'transparent', color: '#3fa34d' },
  pollTimer: null,
  polling: false,
  pollDone: Promise.resolve(),  // settles when the poll in flight has ended
  pollAgain: false,
};

// ---------------------------------------------------------------- helpers

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
async function api(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', ...options });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `${response.status} ${response.statusText}`);
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function bytes(n) {
  if (!Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const ago = (Date.now() - date.getTime()) / 1000;
  if (ago < 45) return 'just now';
  if (ago < 3600) return `${Math.round(ago / 60)} min ago`;
  if (ago < 86400) return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function percentText(progress) {
  const p = Number(progress) || 0;
  return p >= 100 ? '100 %' : `${p.toFixed(p > 0 && p < 10 ? 1 : 0)} %`;
}

function fillClass(jobState) {
  if (jobState === 'completed') return 'bar-fill done';
  if (jobState === 'completed_with_errors') return 'bar-fill partial';
  if (jobState === 'cancelled') return 'bar-fill cancelled';
  return 'bar-fill';
}

function setBar(fill, progress, jobState) {
  const p = Math.max(0, Math.min(100, Number(progress) || 0));
  fill.style.width = `${p}%`;
  fill.className = fillClass(jobState);
  fill.parentElement.setAttribute('aria-valuenow', String(Math.round(p)));
}

/** A cancelled job's bar shows how far it got, not 100 %: the API says 100 for every finished job. */
function shownProgress(status) {
  if (status.state !== 'cancelled') return status.progress;
  return status.total ? Math.round((1000 * (status.completed + status.failed - cancelledCount(status))) / status.total) / 10 : 0;
}

function cancelledCount(status) {
  return (status.counts_in_words && status.counts_in_words.cancelled) || 0;
}

function countChips(inWords) {
  return Object.entries(inWords || {}).filter(([, n]) => n > 0)
    .map(([words, n]) => el('span', { class: `badge words-${words.split(/[^a-z]/)[0]}` }, words, ' ', el('b', { text: n.toLocaleString() })));
}

function stateBadge(status) {
  return el('span', { class: `badge state-${status.state}`, dataset: { state: status.state } }, status.status_text || status.state);
}

function taskUrl(jobId, task, file) {
  // a replaced matte changes the files but not end_time; back to the model's, the first URL is right again
  const version = encodeURIComponent(`${task.end_time || task.attempts || ''}${task.matte_version ? `-${task.updated_at}` : ''}`);
  return `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(task.task_id)}/${file}?v=${version}`;
}

function fmt(value, digits = 3) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(digits);
  }
  return String(value);
}

function pct(value) {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`;
}

function imagesText(n) {
  return `${Number(n).toLocaleString()} image${n === 1 ? '' : 's'}`;
}

/** Download options from the "Take results away" form, as the API's query parameters. */
function exportParams() {
  const params = new URLSearchParams();
  const { bg, color } = state.exportBg;
  const format = $('export-format').value;
  params.set('format', format);
  params.set('background', bg === 'custom' ? color : bg === 'transparent' && format === 'jpg' ? 'white' : bg);
  if ($('export-crop').checked) {
    params.set('crop', 'true');
    params.set('margin', String(Math.max(0, Math.min(100, parseInt($('export-margin').value, 10) || 0))));
  }
  const size = parseInt($('export-size').value, 10);
  if (size > 0) params.set('max_size', String(size));
  return params;
}

function exportSummary() {
  const p = exportParams();
  const bits = [{ jpg: 'JPEG', webp: 'WebP' }[p.get('format')] || 'PNG', p.get('background') === 'transparent' ? 'transparent' : `on ${p.get('background')}`];
  if (p.get('crop')) bits.push(`cropped, ${p.get('margin')} % margin`);
  if (p.get('max_size')) bits.push(`at most ${p.get('max_size')} px`);
  return bits.join(', ');
}

function renderUrl(jobId, task) {
  return `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(task.task_id)}/render?${exportParams()}`;
}

function downloadName(task) {
  const p = exportParams();
  return `${String(task.output_name).split('/').pop()}.${p.get('format')}`;
}

// ---------------------------------------------------------------- upload

function setFiles(fileList) {
  state.files = Array.from(fileList || []).filter((f) => f.size > 0 || f.name);
  const summary = $('file-summary');
  if (!state.files.length) {
    summary.textContent = '';
  } else if (state.files.length === 1) {
    summary.textContent = `${state.files[0].name} · ${bytes(state.files[0].size)}`;
  } else {
    const total = state.files.reduce((sum, f) => sum + f.size, 0);
    const shown = state.files.slice(0, 3).map((f) => f.name).join(', ');
    const more = state.files.length > 3 ? ` and ${state.files.length - 3} more` : '';
    summary.textContent = `${state.files.length} files (${shown}${more}) · ${bytes(total)}`;
  }
  $('upload-button').disabled = !state.files.length || !!state.xhr;
  message('upload-message', '');
  // a keyboard user who picked files goes on to the button that starts the job
  if (state.files.length && !state.xhr) $('upload-button').focus();
}

function contentTypeOf(file) {
  if (file.type) return file.type;
  const name = file.name.toLowerCase();
  if (name.endsWith('.zip')) return 'application/zip';
  if (name.endsWith('.tar')) return 'application/x-tar';
  if (name.endsWith('.tgz') || name.endsWith('.gz')) return 'application/gzip';
  return 'application/octet-stream';
}

function uploadParams() {
  const params = new URLSearchParams();
  params.set('format', $('opt-format').value);
  if ($('opt-flatten').checked) params.set('bgcolor', $('opt-bgcolor').value);
  if ($('opt-mask-only').checked) params.set('mask_only', 'true');
  const callback = $('opt-callback').value.trim();
  if (callback) params.set('callback_url', callback);
  return params;
}

function message(id, text, kind = '') {
  const node = $(id);
  node.textContent = text;
  node.className = `message ${kind}`;
}

function startUpload() {
  const files = state.files;
  if (!files.length || state.xhr) return;
  if ($('opt-format').value === 'jpg' && !$('opt-flatten').checked && !$('opt-mask-only').checked) {
    message('upload-message', 'A JPEG has no transparency: choose a background colour, or mask only.', 'error');
    return;
  }
  const params = uploadParams();
  let body;
  let type = null;
  if (files.length === 1) {
    params.set('filename', files[0].name);
    body = files[0];
    type = contentTypeOf(files[0]);
  } else {
    body = new FormData();
    for (const file of files) body.append('file', file, file.name);
    // the job is named after the first file, with how many came with it
    params.set('filename', `${files[0].name.replace(/\.[^.]+$/, '')} and ${files.length - 1} more`);
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const xhr = new XMLHttpRequest();
  state.xhr = xhr;
  const started = performance.now();
  xhr.open('POST', `/upload?${params}`);
  if (type) xhr.setRequestHeader('Content-Type', type);
  xhr.setRequestHeader('Accept', 'application/json');

  $('upload-progress').hidden = false;
  $('upload-button').disabled = true;
  $('upload-abort').hidden = false;
  showUploadProgress(0, total, started);
  message('upload-message', '');

  xhr.upload.addEventListener('progress', (e) => showUploadProgress(e.loaded, e.lengthComputable ? e.total : total, started));
  xhr.upload.addEventListener('load', () => {
    $('upload-progress-text').textContent = `${bytes(total)} sent · the service is storing it…`;
  });
  xhr.addEventListener('load', () => {
    let reply = null;
    try {
      reply = JSON.parse(xhr.responseText);
    } catch {
      reply = null;
    }
    if (xhr.status === 202 && reply && reply.job_id) {
      setBar($('upload-progress-bar'), 100, 'completed');
      $('upload-progress-text').textContent = `${bytes(total)} sent in ${duration((performance.now() - started) / 1000)}`;
      $('file-input').value = '';
      setFiles([]);
      message('upload-message', `Uploaded. Each photo appears on the right as soon as it is unpacked.`, 'ok');
      state.jobsOffset = 0;
      openJob(reply.job_id, { focus: true });
    } else {
      const reason = (reply && reply.error) || `${xhr.status} ${xhr.statusText}`;
      message('upload-message', `Upload refused: ${reason}`, 'error');
      setBar($('upload-progress-bar'), 0, 'cancelled');
      $('file-input').focus();
    }
  });
  xhr.addEventListener('error', () => {
    message('upload-message', 'Upload failed: the connection to the service was lost.', 'error');
    $('file-input').focus();
  });
  xhr.addEventListener('abort', () => {
    message('upload-message', 'Upload stopped.', 'error');
    $('upload-progress').hidden = true;
    $('file-input').focus();
  });
  xhr.addEventListener('loadend', () => {
    state.xhr = null;
    $('upload-abort').hidden = true;
    $('upload-button').disabled = !state.files.length;
    refreshNow();
  });
  xhr.send(body);
}

function showUploadProgress(loaded, total, started) {
  const p = total > 0 ? (loaded / total) * 100 : 0;
  setBar($('upload-progress-bar'), p, 'running');
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0.2 ? loaded / seconds : 0;
  const left = rate > 0 ? (total - loaded) / rate : NaN;
  const parts = [`${bytes(loaded)} of ${bytes(total)} (${p.toFixed(0)} %)`];
  if (rate > 0) parts.push(`${bytes(rate)}/s`);
  if (loaded < total && Number.isFinite(left)) parts.push(`${duration(left)} left`);
  $('upload-progress-text').textContent = parts.join(' · ');
}

function initUpload() {
  const zone = $('drop-zone');
  $('file-input').addEventListener('change', (e) => setFiles(e.target.files));
  let depth = 0;
  zone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    if (e.dataTransfer.files.length) setFiles(e.dataTransfer.files);
  });
  // a file dropped beside the zone must not make the browser navigate away
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) setFiles(e.dataTransfer.files);
  });

  const syncColour = () => {
    $('opt-bgcolor').disabled = !$('opt-flatten').checked;
    $('opt-bgcolor-text').textContent = $('opt-flatten').checked
      ? $('opt-bgcolor').value : 'none: keep transparency';
  };
  $('opt-flatten').addEventListener('change', syncColour);
  $('opt-bgcolor').addEventListener('input', syncColour);
  $('opt-format').addEventListener('change', () => {
    if ($('opt-format').value === 'jpg' && !$('opt-mask-only').checked) $('opt-flatten').checked = true;
    syncColour();
  });
  syncColour();

  $('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    startUpload();
  });
  $('upload-abort').addEventListener('click', () => state.xhr && state.xhr.abort());
}

// ---------------------------------------------------------------- job list

async function refreshJobs() {
  const data = await api(`/jobs?limit=${JOBS_PER_PAGE}&offset=${state.jobsOffset}`);
  state.jobs = data.jobs || [];
  renderJobs();
}

function renderJobs() {
  $('jobs-empty').hidden = state.jobs.length > 0 || state.jobsOffset > 0;
  const seen = new Set();
  let previous = $('jobs-empty');
  for (const job of state.jobs) {
    seen.add(job.job_id);
    let row = state.rows.get(job.job_id);
    if (!row) {
      row = buildJobRow(job.job_id);
      state.rows.set(job.job_id, row);
    }
    updateJobRow(row, job);
    if (previous.nextSibling !== row) previous.after(row);
    previous = row;
  }
  for (const [id, row] of state.rows) {
    if (!seen.has(id)) {
      row.remove();
      state.rows.delete(id);
    }
  }
  $('jobs-prev').disabled = state.jobsOffset === 0;
  $('jobs-next').disabled = state.jobs.length < JOBS_PER_PAGE;
  $('jobs-page-info').textContent = state.jobs.length
    ? `${state.jobsOffset + 1}–${state.jobsOffset + state.jobs.length}` : '';
  $('jobs-pager').hidden = state.jobsOffset === 0 && state.jobs.length < JOBS_PER_PAGE;
}

function buildJobRow(jobId) {
  const row = el('button', { type: 'button', class: 'job-row', 'data-testid': 'job-row', dataset: { jobId } },
    el('span', { class: 'job-name', 'data-testid': 'job-name' }),
    el('span', { class: 'progress-text', 'data-testid': 'job-progress-text' }),
    el('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'data-testid': 'job-progress' },
      el('span', { class: 'bar-fill' })),
    el('span', { class: 'job-sub', 'data-testid': 'job-sub' }));
  row.addEventListener('click', () => openJob(jobId, { focus: true }));
  return row;
}

function updateJobRow(row, job) {
  const progress = job.state === 'cancelled' ? Math.min(99.9, job.total ? (100 * (job.completed)) / job.total : 0) : job.progress;
  row.dataset.state = job.state;
  row.dataset.progress = String(job.progress);
  const selected = state.openJob === job.job_id;
  row.classList.toggle('selected', selected);
  if (selected) row.setAttribute('aria-current', 'true');
  else row.removeAttribute('aria-current');
  const name = job.name || 'unnamed job';
  row.querySelector('.job-name').textContent = name;
  row.title = name;
  row.querySelector('.bar').setAttribute('aria-label', `Progress of ${name}`);
  row.querySelector('.job-sub').textContent =
    `${job.status_text} · ${(job.completed + job.failed).toLocaleString()} of ${imagesText(job.total)} · ${when(job.created_at)}`;
  setBar(row.querySelector('.bar-fill'), progress, job.state);
  row.querySelector('.progress-text').textContent = job.state === 'cancelled' ? '' : percentText(job.progress);
}

// ---------------------------------------------------------------- job view

function openJob(jobId, { page = 0, filter = '', sort = '', focus = false } = {}) {
  const changed = state.openJob !== jobId;
  state.openJob = jobId;
  if (changed) {
    state.openStatus = null;
    state.gallery.page = page;
    state.gallery.filter = filter;
    state.gallery.sort = sort;
    state.gallery.key = null;
    state.gallery.tasks = [];
    state.gallery.tiles.clear();
    state.selected.clear();
    state.speed = { jobId, rate: 0, at: 0, done: 0 };
    $('gallery').replaceChildren();
    $('gallery-filter').value = filter;
    $('gallery-sort').value = sort;
    state.failed.offset = 0;
    state.failed.key = null;
    $('job-title').textContent = state.jobs.find((j) => j.job_id === jobId)?.name || '';
    message('job-message', '');
  }
  $('job-view').hidden = false;
  $('welcome').hidden = true;
  $('job-view').dataset.jobId = jobId;
  writeHash();
  for (const [id, row] of state.rows) row.classList.toggle('selected', id === jobId);
  if (focus) $('job-view').focus({ preventScroll: true });
  if (changed) $('job-view').scrollIntoView({ block: 'start' });
  refreshNow();
}

function closeJob() {
  const was = state.openJob;
  state.openJob = null;
  $('job-view').hidden = true;
  $('welcome').hidden = false;
  for (const row of state.rows.values()) row.classList.remove('selected');
  writeHash();
  (state.rows.get(was) || $('file-input')).focus();
}

function writeHash() {
  const params = new URLSearchParams();
  if (state.openJob) {
    params.set('job', state.openJob);
    if (state.gallery.page) params.set('page', String(state.gallery.page + 1));
    if (state.gallery.filter) params.set('filter', state.gallery.filter);
    if (state.gallery.sort) params.set('sort', state.gallery.sort);
  }
  const hash = params.toString() ? `#${params}` : '';
  if (location.hash !== hash) history.replaceState(null, '', hash || location.pathname);
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const job = params.get('job');
  if (job) {
    openJob(job, {
      page: Math.max(0, (parseInt(params.get('page'), 10) || 1) - 1), filter: params.get('filter') || '',
      sort: params.get('sort') === 'confidence' ? 'confidence' : '',
    });
  }
}

async function refreshJobView() {
  const jobId = state.openJob;
  if (!jobId) return;
  let status;
  try {
    status = await api(`/status/${encodeURIComponent(jobId)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      message('job-message', 'This job is no longer on the service.', 'error');
      return;
    }
    throw e;
  }
  if (state.openJob !== jobId) return;
  state.openStatus = status;
  await Promise.all([refreshGallery(status), refreshFailed(status)]);
  renderJobHeader(status);
}

/**
 * Images per second, smoothed: work done counts an image in progress as half done, so the speed is
 * there from the first seconds, and an exponential average over SPEED_SMOOTHING_S keeps the time
 * left from jumping with each finished image.
 */
function speedOf(status) {
  const speed = state.speed;
  const done = status.completed + status.failed + 0.5 * status.in_flight;
  const now = Date.now() / 1000;
  const started = firstStart() || (status.created_at ? new Date(status.created_at).getTime() / 1000 : now);
  const elapsed = now - started;
  if (elapsed <= 0 || done <= 0) return 0;
  const average = done / elapsed;
  if (!speed.at) {
    speed.rate = average;
  } else {
    const weight = 1 - Math.exp(-(now - speed.at) / SPEED_SMOOTHING_S);
    speed.rate += weight * (average - speed.rate);
  }
  speed.at = now;
  return speed.rate;
}

/** When the first image of the open job started being worked on, from the tasks on screen. */
function firstStart() {
  const starts = state.gallery.tasks.map((t) => t.start_time).filter(Boolean).map((t) => new Date(t).getTime() / 1000);
  return starts.length ? Math.min(...starts) : null;
}

function speedText(rate) {
  if (rate >= 1) return `${rate.toFixed(rate < 10 ? 1 : 0)} images/s`;
  const perMinute = rate * 60;
  return `${perMinute.toFixed(perMinute < 10 ? 1 : 0)} images/min`;
}

function renderJobHeader(status) {
  const id = status.job_id;
  const name = status.name || 'unnamed job';
  $('job-title').textContent = name;
  const terminal = status.finished;
  const finished = status.completed + status.failed;
  const bits = [`${finished.toLocaleString()} of ${imagesText(status.total)}`];
  if (terminal) {
    const took = status.finished_at && status.created_at ? (new Date(status.finished_at) - new Date(status.created_at)) / 1000 : NaN;
    if (Number.isFinite(took)) bits.push(`took ${duration(took)}`);
  } else if (status.state === 'running' || status.state === 'splitting') {
    const rate = speedOf(status);
    if (rate > 0) {
      bits.push(speedText(rate));
      if (status.state === 'running' && status.total > finished) bits.push(`about ${duration((status.total - finished) / rate)} left`);
    } else {
      bits.push('starting');
    }
  }
  $('job-meta').replaceChildren(stateBadge(status), ' ', bits.join(' · '));
  $('job-meta').firstChild.setAttribute('data-testid', 'job-view-state');
  $('job-view').dataset.state = status.state;

  const progress = shownProgress(status);
  setBar($('job-progress-bar'), progress, status.state);
  $('job-progress').setAttribute('aria-label', `Progress of ${name}`);
  $('job-progress-text').textContent = percentText(progress);
  $('job-counts').replaceChildren(...countChips(status.counts_in_words));
  renderReviewSummary(status);
  if (status.error) message('job-message', status.error, 'error');
  sayRetryOutcome(status);

  const enc = encodeURIComponent(id);
  const hasResults = status.completed > 0;
  const download = $('download-link');
  download.href = terminal ? `/download/${enc}` : `/download/${enc}?partial=true`;
  download.textContent = terminal ? 'Everything (zip)' : 'Everything so far (zip)';
  enable(download, hasResults, 'Nothing is done yet');
  const reported = status.finished && status.state !== 'cancelled';
  $('report-link').href = `/jobs/${enc}/report`;
  enable($('report-link'), reported, 'The report is written when the job finishes');
  $('cancel-button').hidden = terminal;
  $('delete-button').hidden = !terminal;
  $('retry-button').hidden = !(terminal && state.failed.retryable > 0);
  $('retry-button').textContent = `Retry ${imagesText(state.failed.retryable)}`;
  renderExport(status);
}

function enable(link, on, why) {
  link.classList.toggle('disabled', !on);
  if (on) {
    link.removeAttribute('aria-disabled');
    link.removeAttribute('tabindex');
    link.title = '';
  } else {
    link.setAttribute('aria-disabled', 'true');
    link.setAttribute('tabindex', '-1');
    link.title = why;
  }
}

// ---------------------------------------------------------------- taking results away

function renderExport(status) {
  // nothing to take away yet: the images come first
  $('export').hidden = status.completed === 0;
  const enc = encodeURIComponent(status.job_id);
  const params = exportParams();
  const all = $('download-all');
  all.href = `/download/${enc}?${params}${status.finished ? '' : '&partial=true'}`;
  all.textContent = status.completed ? `Download all ${imagesText(status.completed)}` : 'Download all images';
  enable(all, status.completed > 0, 'Nothing is done yet');
  const chosen = [...state.selected];
  const selected = $('download-selected');
  const selection = new URLSearchParams(params);
  selection.set('tasks', chosen.join(','));
  if (!status.finished) selection.set('partial', 'true');
  selected.href = `/download/${enc}?${selection}`;
  selected.textContent = chosen.length ? `Download ${imagesText(chosen.length)} selected` : 'Download selected';
  enable(selected, chosen.length > 0, 'Tick images to choose them');
  $('export-margin').disabled = !$('export-crop').checked;
  $('export-summary').textContent = exportSummary();
  for (const tile of state.gallery.tiles.values()) {
    const link = tile.querySelector('.tile-download');
    const task = state.gallery.tasks[Number(tile.dataset.index)];
    if (link && task) {
      link.href = renderUrl(status.job_id, task);
      link.setAttribute('download', downloadName(task));
    }
  }
  if ($('viewer').open) updateViewerDownload();
}

function setExportBackground(bg, color = state.exportBg.color) {
  state.exportBg = { bg, color };
  const radio = document.querySelector(`input[name="export-bg"][value="${bg}"]`);
  if (radio) radio.checked = true;
  $('export-color').value = color;
  applyBackground();
  if (state.openStatus) renderExport(state.openStatus);
}

function initExport() {
  for (const radio of document.querySelectorAll('input[name="export-bg"]')) {
    radio.addEventListener('change', () => setExportBackground(radio.value));
  }
  $('export-color').addEventListener('input', (e) => setExportBackground('custom', e.target.value));
  for (const id of ['export-format', 'export-crop', 'export-margin', 'export-size']) {
    $(id).addEventListener('input', () => state.openStatus && renderExport(state.openStatus));
    $(id).addEventListener('change', () => state.openStatus && renderExport(state.openStatus));
  }
  $('export').addEventListener('submit', (e) => e.preventDefault());
  $('select-all').addEventListener('click', () => {
    for (const task of state.gallery.tasks) if (task.state === 'completed') state.selected.add(task.task_id);
    syncSelection();
  });
  $('select-none').addEventListener('click', () => {
    state.selected.clear();
    syncSelection();
  });
}

function syncSelection() {
  for (const tile of state.gallery.tiles.values()) {
    const box = tile.querySelector('input[type=checkbox]');
    if (box) box.checked = state.selected.has(tile.dataset.taskId);
    tile.classList.toggle('chosen', state.selected.has(tile.dataset.taskId));
  }
  if (state.openStatus) renderExport(state.openStatus);
}

// ---------------------------------------------------------------- gallery

function galleryTotal(status) {
  const filter = state.gallery.filter;
  if (!filter) return status.total;
  return (status.counts && status.counts[filter]) || 0;
}

async function refreshGallery(status) {
  const g = state.gallery;
  const total = galleryTotal(status);
  const pages = Math.max(1, Math.ceil(total / g.size));
  if (g.page > pages - 1) g.page = pages - 1;
  const key = `${status.job_id}|${g.filter}|${g.sort}|${g.page}|${g.size}|${status.state}|${JSON.stringify(status.counts)}|${JSON.stringify(status.review)}`;
  renderPager(total, pages);
  if (key === g.key) return;
  const params = new URLSearchParams({ limit: String(g.size), offset: String(g.page * g.size) });
  if (g.filter) params.set('status', g.filter);
  if (g.sort) params.set('sort', g.sort);
  const data = await api(`/jobs/${encodeURIComponent(status.job_id)}/tasks?${params}`);
  if (state.openJob !== status.job_id) return;
  g.tasks = data.tasks || [];
  g.key = key;
  renderGallery(status.job_id);
  if (state.reviewOpening) {
    state.reviewOpening = false;
    const first = completedIndexes()[0];
    if (first !== undefined) openViewer(first, $('review-start'));
  }
}

function renderPager(total, pages) {
  const g = state.gallery;
  $('gallery-pages').textContent = pages.toLocaleString();
  $('gallery-page').max = String(pages);
  if (document.activeElement !== $('gallery-page')) $('gallery-page').value = String(g.page + 1);
  $('gallery-first').disabled = $('gallery-prev').disabled = g.page <= 0;
  $('gallery-next').disabled = $('gallery-last').disabled = g.page >= pages - 1;
  $('gallery-pager').hidden = pages <= 1;
  const from = total ? g.page * g.size + 1 : 0;
  const to = Math.min(total, (g.page + 1) * g.size);
  $('gallery-range').textContent = total ? `${from.toLocaleString()}–${to.toLocaleString()} of ${imagesText(total)}` : '';
}

function renderGallery(jobId) {
  const gallery = $('gallery');
  const tiles = state.gallery.tiles;
  const wanted = state.gallery.tasks.map((t) => t.task_id);
  const same = wanted.length === tiles.size && wanted.every((id) => tiles.has(id));
  if (!same) {
    tiles.clear();
    gallery.replaceChildren();
  }
  state.gallery.tasks.forEach((task, index) => {
    const stamp = `${task.state}|${task.end_time}|${task.attempts}|${task.error}|${task.review}|${task.matte_version}`;
    const tile = tiles.get(task.task_id);
    if (tile && tile.dataset.stamp === stamp) {
      tile.dataset.index = String(index);
      return;
    }
    const fresh = buildTile(jobId, task, index);
    fresh.dataset.stamp = stamp;
    if (tile) {
      const hadFocus = tile.contains(document.activeElement);
      tile.replaceWith(fresh);
      if (hadFocus) (fresh.querySelector('.tile-open') || fresh.querySelector('input')).focus();
    } else {
      gallery.append(fresh);
    }
    tiles.set(task.task_id, fresh);
  });
  if (!state.gallery.tasks.length) {
    gallery.append(el('p', { class: 'empty', text: state.gallery.filter ? 'No images in this state.' : 'Unpacking…' }));
  }
}

function buildTile(jobId, task, index) {
  const done = task.state === 'completed';
  const failed = task.state === 'permanently_failed';
  const words = task.status_text || task.state;
  const picture = done
    ? el('img', { src: taskUrl(jobId, task, 'cutout'), alt: '', loading: 'lazy', decoding: 'async' })
    : task.has_original && !failed
      ? el('img', { src: taskUrl(jobId, task, 'thumb'), alt: '', loading: 'lazy', decoding: 'async', class: 'original' })
      : el('span', { class: 'placeholder', text: '?' });
  const thumb = done
    ? el('button', { type: 'button', class: 'thumb checker tile-open', 'aria-label': `Open ${task.name}: before and after` }, picture)
    : el('div', { class: 'thumb' }, picture);
  const caption = el('figcaption', {},
    el('span', { class: 'tile-name', title: task.name, text: task.name }),
    el('span', { class: `tile-state ${failed ? 'bad' : ''}`, 'data-testid': 'tile-state', text: words }));
  if (done && (task.review || lowConfidence(task))) {
    caption.append(el('span', { class: 'tile-review', 'data-testid': 'tile-review', text: reviewWords(task) }));
  }
  const tile = el('figure', {
    class: `tile ${failed ? 'failed' : ''} ${task.state === 'cancelled' || words === 'cancelled' ? 'cancelled' : ''} ${task.review === 'rejected' ? 'rejected' : ''}`,
    'data-testid': 'gallery-item', title: failed ? `${task.name}: ${words}` : task.name,
    dataset: { taskId: task.task_id, state: task.state, index: String(index) },
  }, thumb, caption);
  if (done) {
    const box = el('input', { type: 'checkbox', class: 'tile-select', 'aria-label': `Choose ${task.name}`, 'data-testid': 'tile-select' });
    box.checked = state.selected.has(task.task_id);
    tile.classList.toggle('chosen', box.checked);
    box.addEventListener('change', () => {
      if (box.checked) state.selected.add(task.task_id);
      else state.selected.delete(task.task_id);
      tile.classList.toggle('chosen', box.checked);
      if (state.openStatus) renderExport(state.openStatus);
    });
    const download = el('a', {
      class: 'tile-download', href: renderUrl(jobId, task), download: downloadName(task),
      'aria-label': `Download ${task.name}`, title: `Download (${exportSummary()})`, 'data-testid': 'tile-download',
    }, '⤓');
    tile.append(el('div', { class: 'tile-tools' }, box, download));
    thumb.addEventListener('click', () => openViewer(Number(tile.dataset.index), thumb));
  }
  return tile;
}

function goToPage(page) {
  const g = state.gallery;
  const status = state.openStatus;
  const pages = status ? Math.max(1, Math.ceil(galleryTotal(status) / g.size)) : 1;
  const target = Math.max(0, Math.min(pages - 1, page));
  if (target === g.page) {
    $('gallery-page').value = String(g.page + 1);
    return;
  }
  g.page = target;
  g.key = null;
  writeHash();
  refreshNow();
}

function initGallery() {
  $('gallery-first').addEventListener('click', () => goToPage(0));
  $('gallery-prev').addEventListener('click', () => goToPage(state.gallery.page - 1));
  $('gallery-next').addEventListener('click', () => goToPage(state.gallery.page + 1));
  $('gallery-last').addEventListener('click', () => goToPage(Number.MAX_SAFE_INTEGER));
  $('gallery-page').addEventListener('change', (e) => goToPage((parseInt(e.target.value, 10) || 1) - 1));
  for (const [id, setting] of [['gallery-filter', 'filter'], ['gallery-sort', 'sort']]) {
    $(id).addEventListener('change', (e) => {
      state.gallery[setting] = e.target.value;
      state.gallery.page = 0;
      state.gallery.key = null;
      writeHash();
      refreshNow();
    });
  }
  $('review-start').addEventListener('click', startReview);
  $('gallery-page-size').addEventListener('change', (e) => {
    const first = state.gallery.page * state.gallery.size;
    state.gallery.size = parseInt(e.target.value, 10) || 60;
    state.gallery.page = Math.floor(first / state.gallery.size);
    state.gallery.key = null;
    refreshNow();
  });
}

// ---------------------------------------------------------------- failed images, retry, cancel, delete

/** Whether retrying can help: the API says so per image; before it did, every failure was offered. */
function retryable(task) {
  return task.retryable === undefined ? task.status_text !== 'cancelled' : task.retryable === true;
}

async function refreshFailed(status) {
  const count = (status.counts && status.counts.permanently_failed) || 0;
  $('failed-panel').hidden = count === 0;
  if (!count) {
    state.failed.key = null;
    state.failed.retryable = 0;
    return;
  }
  $('failed-count').textContent = count.toLocaleString();
  if (state.failed.offset >= count) state.failed.offset = Math.max(0, (Math.ceil(count / FAILED_PER_PAGE) - 1) * FAILED_PER_PAGE);
  const key = `${status.job_id}|${count}|${state.failed.offset}|${status.state}`;
  $('failed-prev').disabled = state.failed.offset === 0;
  $('failed-next').disabled = state.failed.offset + FAILED_PER_PAGE >= count;
  $('failed-page-info').textContent = `${state.failed.offset + 1}–${Math.min(count, state.failed.offset + FAILED_PER_PAGE)} of ${count.toLocaleString()}`;
  $('failed-panel').querySelector('nav').hidden = count <= FAILED_PER_PAGE;
  if (key === state.failed.key) return;
  const params = new URLSearchParams({ status: 'permanently_failed', limit: String(FAILED_PER_PAGE), offset: String(state.failed.offset) });
  const data = await api(`/jobs/${encodeURIComponent(status.job_id)}/tasks?${params}`);
  if (state.openJob !== status.job_id) return;
  state.failed.key = key;
  const tasks = data.tasks || [];
  state.failed.retryable = tasks.filter(retryable).length;
  $('failed-list').replaceChildren(...tasks.map((t) => el('li', { 'data-testid': 'failed-item', dataset: { taskId: t.task_id, retryable: String(retryable(t)) } },
    el('span', { class: 'name', title: t.name, text: t.name }),
    el('span', { class: 'err', text: t.status_text || t.error || 'failed' }))));
}

/** Once retried images have ended, says how it went, in the same place as "Retrying…". */
function sayRetryOutcome(status) {
  const r = state.retrying;
  if (!r || r.jobId !== status.job_id || !status.finished) return;
  state.retrying = null;
  const failedNow = status.failed;
  const fixed = Math.max(0, r.failedBefore - failedNow);
  message('job-message', fixed === r.count ? `Retry done: all ${imagesText(fixed)} worked this time.`
    : `Retry done: ${imagesText(fixed)} worked, ${imagesText(r.count - fixed)} failed again.`, fixed === r.count ? 'ok' : 'error');
}

async function retryFailed() {
  const jobId = state.openJob;
  if (!jobId) return;
  $('retry-button').disabled = true;
  try {
    const failedBefore = state.openStatus ? state.openStatus.failed : 0;
    const reply = await api(`/jobs/${encodeURIComponent(jobId)}/retry`, { method: 'POST' });
    if (reply.retried > 0) {
      state.retrying = { jobId, count: reply.retried, failedBefore };
      message('job-message', `Retrying ${imagesText(reply.retried)}…`, 'ok');
    } else {
      message('job-message', 'Nothing to retry: these images cannot be made to work by trying again.', 'error');
    }
    state.failed.key = null;
    state.gallery.key = null;
  } catch (e) {
    message('job-message', `Retry refused: ${e.message}`, 'error');
  } finally {
    $('retry-button').disabled = false;
    $('job-message').focus();
    refreshNow();
  }
}

async function cancelJob() {
  const jobId = state.openJob;
  if (!jobId || !window.confirm('Cancel this job? Images not yet done will not be processed.')) return;
  try {
    await api(`/jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST' });
    message('job-message', 'Job cancelled: the images already done are kept.', 'ok');
    state.statusCache.delete(jobId);
  } catch (e) {
    message('job-message', `Cancel refused: ${e.message}`, 'error');
  }
  $('job-message').focus();
  refreshNow();
}

async function deleteJob() {
  const jobId = state.openJob;
  const name = (state.openStatus && state.openStatus.name) || 'this job';
  if (!jobId || !window.confirm(`Delete ${name} and all its files? This cannot be undone.`)) return;
  // closed first, and no poll of it left in flight, so nothing asks for the job once it is gone
  state.openJob = null;
  await state.pollDone;
  try {
    await api(`/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' });
    $('job-view').hidden = true;
    $('welcome').hidden = false;
    writeHash();
    message('upload-message', `Deleted ${name}.`, 'ok');
    $('jobs-title').setAttribute('tabindex', '-1');
    $('jobs-title').focus();
  } catch (e) {
    state.openJob = jobId;
    message('job-message', `Delete refused: ${e.message}`, 'error');
    $('job-message').focus();
  }
  refreshNow();
}

// ---------------------------------------------------------------- comparison viewer

function completedIndexes() {
  return state.gallery.tasks.map((t, i) => (t.state === 'completed' ? i : -1)).filter((i) => i >= 0);
}

function openViewer(index, opener = null) {
  const task = state.gallery.tasks[index];
  if (!task || task.state !== 'completed') return;
  const jobId = state.openJob;
  const v = state.viewer;
  v.index = index;
  if (opener) v.opener = opener;
  $('viewer').dataset.taskId = task.task_id;
  $('viewer-title').textContent = task.name;
  $('viewer-sub').textContent = `${task.width} × ${task.height} pixels`;
  $('compare-original').src = taskUrl(jobId, task, 'original');
  $('compare-cutout').src = taskUrl(jobId, task, 'cutout');
  $('viewer-panel-link').href = taskUrl(jobId, task, 'compare');
  $('viewer-original-link').href = taskUrl(jobId, task, 'original');
  updateViewerDownload();
  renderFigures(task);
  $('review-state').textContent = task.review ? `${task.review}` : '';
  $('matte-revert').disabled = !task.matte_version;
  const order = completedIndexes();
  const at = order.indexOf(index);
  $('viewer-prev').disabled = at <= 0;
  $('viewer-next').disabled = at < 0 || at >= order.length - 1;
  setSplit(v.split);
  applyBackground();
  if (!$('viewer').open) {
    $('viewer').showModal();
    $('compare-slider').focus();
  }
  fitStage();
}

function updateViewerDownload() {
  const task = state.gallery.tasks[state.viewer.index];
  if (!task || !state.openJob) return;
  $('viewer-download').href = renderUrl(state.openJob, task);
  $('viewer-download').setAttribute('download', downloadName(task));
  $('viewer-download-note').textContent = exportSummary();
}

/** Sizes the stage to the image's shape, as large as the dialog allows (small images scale up). */
function fitStage() {
  const task = state.gallery.tasks[state.viewer.index];
  const stage = $('compare-stage');
  if (!task || !task.width || !task.height || !$('viewer').open) return;
  const room = stage.parentElement.clientWidth;
  const scale = Math.min(room / task.width, (window.innerHeight * 0.62) / task.height, 4);
  const width = Math.max(1, Math.floor(task.width * scale));
  stage.style.width = `${width}px`;
  stage.style.height = `${Math.max(1, Math.floor(task.height * scale))}px`;
  $('compare-slider').style.width = `${Math.max(width, 240)}px`;
}

function stepViewer(delta) {
  const order = completedIndexes();
  const at = order.indexOf(state.viewer.index);
  const next = order[at + delta];
  if (next !== undefined) openViewer(next);
}

function renderFigures(task) {
  const rows = [];
  const section = (title) => rows.push(el('tr', { class: 'section' }, el('th', { colspan: '2', scope: 'colgroup', text: title })));
  const row = (label, value, key) => rows.push(el('tr', { dataset: { figure: key } }, el('th', { scope: 'row', text: label }), el('td', { text: value })));
  section('The cutout');
  row('Subject covers', pct(task.fg_fraction), 'fg_fraction');
  row('Soft edge (hair, blur)', pct(task.uncertain_fraction), 'uncertain_fraction');
  row('Separate pieces', fmt(task.components), 'components');
  row('Largest piece', pct(task.largest_share), 'largest_share');
  row('Worth a look', task.warnings ? task.warnings.split(',').join(', ') : 'nothing noticed', 'warnings');
  row('Confidence', fmt(task.confidence, 2), 'confidence');
  row('Why it may be wrong', doubtWords(task.doubts) || 'nothing noticed', 'doubts');
  if (![task.sad, task.mse, task.grad, task.conn, task.iou].every((x) => x === null || x === undefined)) {
    section('Against the supplied matte');
    row('Overlap (IoU)', fmt(task.iou), 'iou');
    row('SAD (÷1000)', fmt(task.sad), 'sad');
    row('MSE', fmt(task.mse, 4), 'mse');
    row('Gradient', fmt(task.grad), 'grad');
    row('Connectivity', fmt(task.conn), 'conn');
  }
  section('Time');
  row('Removing background', task.matting_ms === null ? '–' : duration(task.matting_ms / 1000) || `${task.matting_ms} ms`, 'matting_ms');
  row('Comparing', task.compare_ms === null ? '–' : duration(task.compare_ms / 1000) || `${task.compare_ms} ms`, 'compare_ms');
  row('Tries', fmt(task.attempts), 'attempts');
  $('compare-figures').replaceChildren(...rows);
}

function setSplit(value) {
  const v = Math.max(0, Math.min(100, Number(value)));
  state.viewer.split = v;
  $('compare-slider').value = String(v);
  $('compare-after').style.clipPath = `inset(0 0 0 ${v}%)`;
  $('compare-divider').style.left = `${v}%`;
}

/** The viewer's background is also the download's: what you see is what you take away. */
const VIEWER_TO_EXPORT = { checker: ['transparent'], white: ['white'], black: ['custom', '#000000'] };

function viewerBackground() {
  const { bg, color } = state.exportBg;
  if (bg === 'transparent') return { bg: 'checker', color };
  if (bg === 'white') return { bg: 'white', color };
  if (bg === 'custom' && color.toLowerCase() === '#000000') return { bg: 'black', color };
  return { bg: 'custom', color };
}

function applyBackground() {
  const { bg, color } = viewerBackground();
  const after = $('compare-after');
  after.className = `compare-after ${bg === 'custom' ? '' : `bg-${bg}`}`;
  after.style.background = bg === 'custom' ? color : '';
  after.dataset.bg = bg;
  const radio = document.querySelector(`input[name="bg"][value="${bg}"]`);
  if (radio) radio.checked = true;
  $('bg-color').value = color;
  try {
    localStorage.setItem('mattepipe.export-bg', JSON.stringify(state.exportBg));
  } catch {
    // storage may be off; the choice then lasts for this page only
  }
}

function initViewer() {
  try {
    const saved = JSON.parse(localStorage.getItem('mattepipe.export-bg') || 'null');
    if (saved && ['transparent', 'white', 'custom'].includes(saved.bg) && /^#[0-9a-f]{6}$/i.test(saved.color)) {
      setExportBackground(saved.bg, saved.color);
    }
  } catch {
    // ignore a bad saved value
  }
  applyBackground();
  $('compare-slider').addEventListener('input', (e) => setSplit(e.target.value));
  for (const radio of document.querySelectorAll('input[name="bg"]')) {
    radio.addEventListener('change', () => {
      const [bg, color] = VIEWER_TO_EXPORT[radio.value] || ['custom', $('bg-color').value];
      setExportBackground(bg, color || state.exportBg.color);
      applyBackground();
    });
  }
  $('bg-color').addEventListener('input', (e) => {
    setExportBackground('custom', e.target.value);
    applyBackground();
  });
  const stage = $('compare-stage');
  const fromPointer = (e) => {
    const rect = stage.getBoundingClientRect();
    if (rect.width > 0) setSplit(((e.clientX - rect.left) / rect.width) * 100);
  };
  stage.addEventListener('pointerdown', (e) => {
    stage.setPointerCapture(e.pointerId);
    fromPointer(e);
  });
  stage.addEventListener('pointermove', (e) => {
    if (stage.hasPointerCapture(e.pointerId)) fromPointer(e);
  });
  window.addEventListener('resize', fitStage);
  $('viewer-close').addEventListener('click', () => $('viewer').close());
  // back to the image it was opened from
  $('viewer').addEventListener('close', () => {
    const tile = state.gallery.tiles.get($('viewer').dataset.taskId);
    const target = (tile && tile.querySelector('.tile-open')) || state.viewer.opener;
    if (target && target.isConnected) target.focus();
  });
  $('review-accept').addEventListener('click', () => decide('accept'));
  $('matte-refine').addEventListener('click', () => changeMatte('POST', 'matte/refine'));
  $('matte-touchup').addEventListener('click', () => {
    const task = state.gallery.tasks[state.viewer.index];
    const jobId = state.openJob;
    if (task && jobId) openTouchUp(jobId, task, (file) => taskUrl(jobId, task, file), (version) => showNewMatte(task, version));
  });
  $('matte-revert').addEventListener('click', () => changeMatte('DELETE', 'matte'));
  $('review-reject').addEventListener('click', () => decide('reject'));
  $('viewer-prev').addEventListener('click', () => stepViewer(-1));
  $('viewer-next').addEventListener('click', () => stepViewer(1));
  $('viewer').addEventListener('click', (e) => {
    if (e.target === $('viewer')) $('viewer').close(); // a click on the backdrop
  });
  $('viewer').addEventListener('keydown', (e) => {
    // letters mean nothing to the slider or the colour field that may have the focus
    if (!(e.ctrlKey || e.metaKey || e.altKey) && (e.key === 'a' || e.key === 'A')) decide('accept');
    if (!(e.ctrlKey || e.metaKey || e.altKey) && (e.key === 'r' || e.key === 'R')) decide('reject');
    if (!(e.ctrlKey || e.metaKey || e.altKey) && (e.key === 'n' || e.key === 'N')) stepViewer(1);
    if (!(e.ctrlKey || e.metaKey || e.altKey) && (e.key === 'p' || e.key === 'P')) stepViewer(-1);
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'ArrowLeft') stepViewer(-1);
    if (e.key === 'ArrowRight') stepViewer(1);
  });
}

// ---------------------------------------------------------------- review: check the doubtful first

/** What the confidence's doubt codes (GET /jobs/{job}/tasks, docs/confidence.md) mean, in plain words. */
const DOUBTS = {
  models_disagree: 'the models disagree on the subject',
  undecided: 'much of the picture is neither clearly in nor out',
  touches_frame: 'the subject fills the edge of the frame (background kept?)',
  in_pieces: 'the subject is in pieces',
  nothing_kept: 'almost nothing was kept',
};

function doubtWords(codes) {
  return (codes || '').split(',').filter(Boolean).map((code) => DOUBTS[code] || code).join('; ');
}

function lowConfidence(task) {
  const threshold = state.openStatus && state.openStatus.review ? state.openStatus.review.threshold : 0.5;
  return typeof task.confidence === 'number' && task.confidence < threshold;
}

function reviewWords(task) {
  if (task.review === 'rejected') return 'rejected: not in the zip';
  if (task.review === 'accepted') return 'accepted';
  return `check: confidence ${fmt(task.confidence, 2)}`;
}

function renderReviewSummary(status) {
  const review = status.review;
  const box = $('review-summary');
  if (!review || !status.finished || review.to_review + review.accepted + review.rejected === 0) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const bits = [`${imagesText(review.to_review)} left to check (confidence under ${fmt(review.threshold, 2)})`];
  if (review.accepted) bits.push(`${review.accepted.toLocaleString()} accepted`);
  if (review.rejected) bits.push(`${review.rejected.toLocaleString()} rejected`);
  $('review-summary-text').textContent = bits.join(' · ');
  $('review-start').disabled = review.to_review === 0 && state.gallery.sort === 'confidence';
}

/** The finished images, worst first, and the viewer on the first of them. */
function startReview() {
  state.gallery.sort = 'confidence';
  state.gallery.filter = 'completed';
  state.gallery.page = 0;
  state.gallery.key = null;
  $('gallery-sort').value = 'confidence';
  $('gallery-filter').value = 'completed';
  state.reviewOpening = true;
  writeHash();
  refreshNow();
}

/** Accept or reject the image in the viewer, then on to the next one. */
async function decide(decision) {
  const task = state.gallery.tasks[state.viewer.index];
  const jobId = state.openJob;
  if (!task || !jobId || !$('viewer').open) return;
  try {
    const answer = await api(`/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(task.task_id)}/review`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ decision }),
    });
    task.review = answer.review;
    $('review-state').textContent = answer.review || '';
    const tile = state.gallery.tiles.get(task.task_id);
    if (tile) {
      const fresh = buildTile(jobId, task, Number(tile.dataset.index));
      fresh.dataset.stamp = tile.dataset.stamp;
      tile.replaceWith(fresh);
      state.gallery.tiles.set(task.task_id, fresh);
    }
    stepViewer(1);
    refreshNow();
  } catch (e) {
    $('review-state').textContent = `not saved: ${e.message}`;
  }
}

/** Refine the matte's edges or go back to the model's; the viewer then shows the new cutout. */
async function changeMatte(method, path) {
  const task = state.gallery.tasks[state.viewer.index];
  const jobId = state.openJob;
  if (!task || !jobId) return;
  try {
    const answer = await api(`/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(task.task_id)}/${path}`, { method });
    showNewMatte(task, answer.matte_version);
  } catch (e) {
    $('review-state').textContent = `not changed: ${e.message}`;
  }
}

/** The viewer shows the task's cutout made from its new matte. */
function showNewMatte(task, version) {
  task.matte_version = version;
  $('compare-cutout').src = `${taskUrl(state.openJob, task, 'cutout')}&changed=${Date.now()}`;
  $('matte-revert').disabled = !task.matte_version;
  $('review-state').textContent = task.matte_version ? `matte version ${task.matte_version}` : "the model's matte";
  state.gallery.key = null;
  refreshNow();
}

// ---------------------------------------------------------------- polling

function setHealth(up, error) {
  const health = $('health');
  health.dataset.state = up ? 'up' : 'down';
  health.textContent = up ? 'live' : 'service unreachable';
  health.title = up ? 'Updates every second' : String(error && error.message ? error.message : error);
}

async function tick() {
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  clearTimeout(state.pollTimer);
  let finished;
  state.pollDone = new Promise((resolve) => { finished = resolve; });
  try {
    await refreshJobs();
    await refreshJobView();
    setHealth(true);
  } catch (e) {
    if (e.status === 401) signedOut();
    setHealth(false, e);
  } finally {
    state.polling = false;
    finished();
    if (state.pollAgain) {
      state.pollAgain = false;
      state.pollTimer = setTimeout(tick, 0);
    } else {
      state.pollTimer = setTimeout(tick, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
    }
  }
}

function refreshNow() {
  tick();
}

async function init() {
  startTranslation($('lang-switch'));
  await signIn();
  initUpload();
  initGallery();
  initExport();
  initViewer();
  initTouchUp();
  $('jobs-prev').addEventListener('click', () => {
    state.jobsOffset = Math.max(0, state.jobsOffset - JOBS_PER_PAGE);
    refreshNow();
  });
  $('jobs-next').addEventListener('click', () => {
    state.jobsOffset += JOBS_PER_PAGE;
    refreshNow();
  });
  $('job-close').addEventListener('click', closeJob);
  $('home-link').addEventListener('click', (e) => {
    e.preventDefault();
    closeJob();
    window.scrollTo({ top: 0, behavior: 'smooth' });
  });
  $('retry-button').addEventListener('click', retryFailed);
  $('cancel-button').addEventListener('click', cancelJob);
  $('delete-button').addEventListener('click', deleteJob);
  $('failed-prev').addEventListener('click', () => {
    state.failed.offset = Math.max(0, state.failed.offset - FAILED_PER_PAGE);
    refreshNow();
  });
  $('failed-next').addEventListener('click', () => {
    state.failed.offset += FAILED_PER_PAGE;
    refreshNow();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refreshNow();
  });
  window.addEventListener('hashchange', readHash);
  readHash();
  tick();
  document.documentElement.dataset.ready = 'true';
}

init();

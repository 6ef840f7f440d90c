// mattepipe web page: upload, live job list, paged gallery, before/after viewer.
// Plain ES module, no build step, no external resources. Talks only to the HTTP API of DESIGN.md.

const POLL_MS = 1000;
const HIDDEN_POLL_MS = 5000;
const JOBS_PER_PAGE = 20;
const FAILED_PER_PAGE = 20;
const TERMINAL = new Set(['completed', 'completed_with_errors', 'cancelled']);
const FINISHED_WITH_REPORT = new Set(['completed', 'completed_with_errors']);
const STATE_ORDER = ['completed', 'permanently_failed', 'failed', 'comparing', 'dispatched_comparison',
  'matting_done', 'processing', 'dispatched_matting', 'pending'];

const $ = (id) => document.getElementById(id);

const state = {
  files: [],
  xhr: null,
  jobsOffset: 0,
  jobs: [],
  jobNames: new Map(),          // job id -> name, from any /jobs page seen
  statusCache: new Map(),       // job id -> {key, status, at}
  rows: new Map(),              // job id -> row element
  openJob: null,
  openStatus: null,
  gallery: { filter: '', page: 0, size: 60, tasks: [], key: null, tiles: new Map() },
  failed: { offset: 0, key: null },
  viewer: { index: -1, split: 50, bg: 'checker', color: '#3fa34d' },
  pollTimer: null,
  polling: false,
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

function stateLabel(s) {
  return String(s || '').replace(/_/g, ' ');
}

function badge(stateName, count) {
  return el('span', { class: `badge state-${stateName}`, dataset: { state: stateName } },
    stateLabel(stateName), count === undefined ? null : ' ', count === undefined ? null : el('b', { text: String(count) }));
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

function countChips(counts) {
  const names = Object.keys(counts || {}).sort((a, b) => {
    const ia = STATE_ORDER.indexOf(a);
    const ib = STATE_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return names.filter((n) => counts[n] > 0).map((n) => badge(n, counts[n]));
}

function taskUrl(jobId, task, file) {
  const version = encodeURIComponent(task.end_time || task.attempts || '');
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
    params.set('filename', `${files[0].name} + ${files.length - 1} more`);
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
      message('upload-message', `Job ${reply.job_id.slice(0, 8)} created: it is being processed below.`, 'ok');
      state.jobsOffset = 0;
      openJob(reply.job_id);
    } else {
      const reason = (reply && reply.error) || `${xhr.status} ${xhr.statusText}`;
      message('upload-message', `Upload refused: ${reason}`, 'error');
      setBar($('upload-progress-bar'), 0, 'cancelled');
    }
  });
  xhr.addEventListener('error', () => message('upload-message', 'Upload failed: the connection to the service was lost.', 'error'));
  xhr.addEventListener('abort', () => {
    message('upload-message', 'Upload stopped.', 'error');
    $('upload-progress').hidden = true;
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
  for (const job of state.jobs) state.jobNames.set(job.job_id, job.name);
  await Promise.all(state.jobs.map(async (job) => {
    const key = `${job.state}|${job.total}|${job.completed}|${job.failed}`;
    const cached = state.statusCache.get(job.job_id);
    if (cached && cached.key === key && TERMINAL.has(job.state)) return;
    try {
      const status = await api(`/status/${encodeURIComponent(job.job_id)}`);
      state.statusCache.set(job.job_id, { key, status, at: Date.now() });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }));
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
    updateJobRow(row, job, state.statusCache.get(job.job_id)?.status);
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
  $('jobs-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

function buildJobRow(jobId) {
  const fill = el('div', { class: 'bar-fill' });
  const row = el('div', {
    class: 'job-row', role: 'button', tabindex: '0', 'data-testid': 'job-row',
    dataset: { jobId },
  },
  el('div', {},
    el('div', { class: 'job-name', 'data-testid': 'job-name' }),
    el('div', { class: 'job-sub', 'data-testid': 'job-sub' })),
  el('div', { class: 'job-state-cell' }),
  el('div', { class: 'job-progress-line' },
    el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'data-testid': 'job-progress' }, fill),
    el('span', { class: 'progress-text', 'data-testid': 'job-progress-text' })),
  el('div', { class: 'counts', 'data-testid': 'job-counts' }));
  const open = () => openJob(jobId);
  row.addEventListener('click', open);
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  });
  return row;
}

function updateJobRow(row, job, status) {
  const progress = status ? status.progress : job.progress;
  const jobState = status ? status.state : job.state;
  row.dataset.state = jobState;
  row.dataset.progress = String(progress);
  row.classList.toggle('selected', state.openJob === job.job_id);
  row.querySelector('.job-name').textContent = job.name || job.job_id;
  row.querySelector('.job-name').title = job.name || job.job_id;
  const total = status ? status.total : job.total;
  const done = (status ? status.completed : job.completed) + (status ? status.failed : job.failed);
  const took = job.finished_at ? ` · took ${duration((new Date(job.finished_at) - new Date(job.created_at)) / 1000)}` : '';
  row.querySelector('.job-sub').textContent =
    `${job.job_id.slice(0, 8)} · ${job.source} · ${when(job.created_at)} · ${done.toLocaleString()} of ${Number(total).toLocaleString()} images${took}`;
  const cell = row.querySelector('.job-state-cell');
  if (cell.dataset.state !== jobState) {
    cell.replaceChildren(badge(jobState));
    cell.firstChild.setAttribute('data-testid', 'job-state');
    cell.dataset.state = jobState;
  }
  setBar(row.querySelector('.bar-fill'), progress, jobState);
  row.querySelector('.progress-text').textContent = percentText(progress);
  const counts = status ? status.counts : { completed: job.completed, permanently_failed: job.failed };
  row.querySelector('.counts').replaceChildren(...countChips(counts));
}

// ---------------------------------------------------------------- job view

function openJob(jobId, { page = 0, filter = '' } = {}) {
  const changed = state.openJob !== jobId;
  state.openJob = jobId;
  if (changed) {
    state.openStatus = null;
    state.gallery.page = page;
    state.gallery.filter = filter;
    state.gallery.key = null;
    state.gallery.tasks = [];
    state.gallery.tiles.clear();
    $('gallery').replaceChildren();
    $('gallery-filter').value = filter;
    state.failed.offset = 0;
    state.failed.key = null;
    message('job-message', '');
  }
  $('job-view').hidden = false;
  $('job-view').dataset.jobId = jobId;
  writeHash();
  for (const [id, row] of state.rows) row.classList.toggle('selected', id === jobId);
  if (changed) $('job-view').scrollIntoView({ behavior: 'smooth', block: 'start' });
  refreshNow();
}

function closeJob() {
  state.openJob = null;
  $('job-view').hidden = true;
  for (const row of state.rows.values()) row.classList.remove('selected');
  writeHash();
}

function writeHash() {
  const params = new URLSearchParams();
  if (state.openJob) {
    params.set('job', state.openJob);
    if (state.gallery.page) params.set('page', String(state.gallery.page + 1));
    if (state.gallery.filter) params.set('filter', state.gallery.filter);
  }
  const hash = params.toString() ? `#${params}` : '';
  if (location.hash !== hash) history.replaceState(null, '', hash || location.pathname);
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const job = params.get('job');
  if (job) {
    openJob(job, { page: Math.max(0, (parseInt(params.get('page'), 10) || 1) - 1), filter: params.get('filter') || '' });
  }
}

async function refreshJobView() {
  const jobId = state.openJob;
  if (!jobId) return;
  const cached = state.statusCache.get(jobId);
  let status;
  if (cached && Date.now() - cached.at < POLL_MS / 2) {
    status = cached.status;
  } else {
    try {
      status = await api(`/status/${encodeURIComponent(jobId)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        message('job-message', `No job ${jobId} on this service.`, 'error');
        return;
      }
      throw e;
    }
  }
  if (state.openJob !== jobId) return;
  state.openStatus = status;
  renderJobHeader(status);
  await Promise.all([refreshGallery(status), refreshFailed(status)]);
}

function renderJobHeader(status) {
  const id = status.job_id;
  const name = state.jobNames.get(id) || id;
  $('job-title').textContent = name;
  const started = status.created_at ? new Date(status.created_at) : null;
  const ended = status.finished_at ? new Date(status.finished_at) : new Date();
  const elapsed = started ? (ended - started) / 1000 : NaN;
  const finished = status.completed + status.failed;
  const rate = elapsed > 0 ? finished / elapsed : 0;
  const bits = [`job ${id}`, `${Number(status.total).toLocaleString()} images`];
  if (started) bits.push(`started ${when(status.created_at)}`);
  if (Number.isFinite(elapsed)) bits.push(`${TERMINAL.has(status.state) ? 'took' : 'running for'} ${duration(elapsed)}`);
  if (rate > 0) bits.push(`${rate.toFixed(rate < 10 ? 2 : 0)} images/s`);
  if (!TERMINAL.has(status.state) && rate > 0 && status.total > finished) {
    bits.push(`about ${duration((status.total - finished) / rate)} left`);
  }
  $('job-meta').replaceChildren(badge(status.state), ' ', bits.join(' · '));
  $('job-meta').firstChild.setAttribute('data-testid', 'job-view-state');
  $('job-view').dataset.state = status.state;

  setBar($('job-progress-bar'), status.progress, status.state);
  $('job-progress-text').textContent = percentText(status.progress);
  $('job-counts').replaceChildren(...countChips(status.counts));
  if (status.error) message('job-message', status.error, 'error');

  const enc = encodeURIComponent(id);
  const terminal = TERMINAL.has(status.state);
  const download = $('download-link');
  download.href = terminal ? `/download/${enc}` : `/download/${enc}?partial=true`;
  download.textContent = terminal ? 'Download results' : 'Download partial results';
  download.setAttribute('download', `${id}-results.zip`);
  download.classList.toggle('primary', terminal);
  const reported = FINISHED_WITH_REPORT.has(status.state);
  for (const [link, query] of [['report-link', ''], ['report-json', '?format=json'], ['report-csv', '?format=csv']]) {
    $(link).href = `/jobs/${enc}/report${query}`;
    $(link).classList.toggle('disabled', !reported);
    $(link).title = reported ? '' : 'The report is written when the job finishes';
  }
  $('cancel-button').hidden = terminal;
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
  const key = `${status.job_id}|${g.filter}|${g.page}|${g.size}|${status.state}|${JSON.stringify(status.counts)}`;
  renderPager(total, pages);
  if (key === g.key) return;
  const params = new URLSearchParams({ limit: String(g.size), offset: String(g.page * g.size) });
  if (g.filter) params.set('status', g.filter);
  const data = await api(`/jobs/${encodeURIComponent(status.job_id)}/tasks?${params}`);
  if (state.openJob !== status.job_id) return;
  g.tasks = data.tasks || [];
  g.key = key;
  renderGallery(status.job_id);
}

function renderPager(total, pages) {
  const g = state.gallery;
  $('gallery-pages').textContent = pages.toLocaleString();
  $('gallery-page').max = String(pages);
  if (document.activeElement !== $('gallery-page')) $('gallery-page').value = String(g.page + 1);
  $('gallery-first').disabled = $('gallery-prev').disabled = g.page <= 0;
  $('gallery-next').disabled = $('gallery-last').disabled = g.page >= pages - 1;
  const from = total ? g.page * g.size + 1 : 0;
  const to = Math.min(total, (g.page + 1) * g.size);
  $('gallery-range').textContent = total ? `images ${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()}` : 'no images';
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
    const stamp = `${task.state}|${task.end_time}|${task.attempts}|${task.error}`;
    let tile = tiles.get(task.task_id);
    if (tile && tile.dataset.stamp === stamp) {
      tile.dataset.index = String(index);
      return;
    }
    const fresh = buildTile(jobId, task, index);
    fresh.dataset.stamp = stamp;
    if (tile) tile.replaceWith(fresh);
    else gallery.append(fresh);
    tiles.set(task.task_id, fresh);
  });
  if (!state.gallery.tasks.length) {
    gallery.append(el('p', { class: 'empty', text: state.gallery.filter ? 'No images in this state.' : 'No images yet.' }));
  }
}

function buildTile(jobId, task, index) {
  const done = task.state === 'completed';
  const failed = task.state === 'permanently_failed' || task.state === 'failed';
  const thumb = el('div', { class: `thumb ${done ? 'checker' : ''}` });
  if (done) {
    thumb.append(el('img', {
      src: taskUrl(jobId, task, 'cutout'), alt: task.name, loading: 'lazy', decoding: 'async',
      width: task.width || null, height: task.height || null,
    }));
  } else {
    thumb.append(el('div', { class: 'placeholder', text: failed ? (task.error || 'failed') : `${stateLabel(task.state)}…` }));
  }
  const figs = el('span', { class: 'tile-figs' });
  if (done) {
    figs.append(`${task.width}×${task.height}`);
    if (task.fg_fraction !== null && task.fg_fraction !== undefined) figs.append(` · fg ${Math.round(task.fg_fraction * 100)} %`);
    if (task.iou !== null && task.iou !== undefined) figs.append(` · IoU ${task.iou.toFixed(3)}`);
    if (task.warnings) figs.append(el('span', { class: 'warn', title: `warnings: ${task.warnings}`, text: `⚠ ${task.warnings.split(',').join(', ')}` }));
  } else {
    figs.append(badge(task.state));
  }
  const tile = el('figure', {
    class: `tile ${failed ? 'failed' : ''}`, 'data-testid': 'gallery-item', tabindex: done ? '0' : null,
    title: failed ? `${task.name}: ${task.error || 'failed'}` : task.name,
    dataset: { taskId: task.task_id, state: task.state, index: String(index) },
  }, thumb, el('figcaption', {}, el('span', { class: 'tile-name', text: task.name }), figs));
  if (done) {
    const open = () => openViewer(Number(tile.dataset.index));
    tile.addEventListener('click', open);
    tile.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
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
  $('gallery-filter').addEventListener('change', (e) => {
    state.gallery.filter = e.target.value;
    state.gallery.page = 0;
    state.gallery.key = null;
    writeHash();
    refreshNow();
  });
  $('gallery-page-size').addEventListener('change', (e) => {
    const first = state.gallery.page * state.gallery.size;
    state.gallery.size = parseInt(e.target.value, 10) || 60;
    state.gallery.page = Math.floor(first / state.gallery.size);
    state.gallery.key = null;
    refreshNow();
  });
}

// ---------------------------------------------------------------- failed tasks, retry, cancel

async function refreshFailed(status) {
  const count = (status.counts && status.counts.permanently_failed) || 0;
  $('failed-panel').hidden = count === 0;
  if (!count) {
    state.failed.key = null;
    return;
  }
  $('failed-count').textContent = count.toLocaleString();
  if (state.failed.offset >= count) state.failed.offset = Math.max(0, (Math.ceil(count / FAILED_PER_PAGE) - 1) * FAILED_PER_PAGE);
  const key = `${status.job_id}|${count}|${state.failed.offset}|${status.state}`;
  $('failed-prev').disabled = state.failed.offset === 0;
  $('failed-next').disabled = state.failed.offset + FAILED_PER_PAGE >= count;
  $('failed-page-info').textContent = `${state.failed.offset + 1}–${Math.min(count, state.failed.offset + FAILED_PER_PAGE)} of ${count.toLocaleString()}`;
  if (key === state.failed.key) return;
  const params = new URLSearchParams({ status: 'permanently_failed', limit: String(FAILED_PER_PAGE), offset: String(state.failed.offset) });
  const data = await api(`/jobs/${encodeURIComponent(status.job_id)}/tasks?${params}`);
  if (state.openJob !== status.job_id) return;
  state.failed.key = key;
  $('failed-list').replaceChildren(...(data.tasks || []).map((t) => el('li', { 'data-testid': 'failed-item', dataset: { taskId: t.task_id } },
    el('span', { class: 'name', title: t.name, text: t.name }),
    el('span', { class: 'err', text: t.error || 'failed' }))));
}

async function retryFailed() {
  const jobId = state.openJob;
  if (!jobId) return;
  $('retry-button').disabled = true;
  try {
    const reply = await api(`/jobs/${encodeURIComponent(jobId)}/retry`, { method: 'POST' });
    message('job-message', `Retrying ${reply.retried} image${reply.retried === 1 ? '' : 's'}.`, 'ok');
    state.failed.key = null;
    state.gallery.key = null;
    state.statusCache.delete(jobId);
  } catch (e) {
    message('job-message', `Retry refused: ${e.message}`, 'error');
  } finally {
    $('retry-button').disabled = false;
    refreshNow();
  }
}

async function cancelJob() {
  const jobId = state.openJob;
  if (!jobId || !window.confirm('Cancel this job? Images not yet done will not be processed.')) return;
  try {
    await api(`/jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST' });
    message('job-message', 'Job cancelled.', 'ok');
    state.statusCache.delete(jobId);
  } catch (e) {
    message('job-message', `Cancel refused: ${e.message}`, 'error');
  }
  refreshNow();
}

// ---------------------------------------------------------------- comparison viewer

function completedIndexes() {
  return state.gallery.tasks.map((t, i) => (t.state === 'completed' ? i : -1)).filter((i) => i >= 0);
}

function openViewer(index) {
  const task = state.gallery.tasks[index];
  if (!task || task.state !== 'completed') return;
  const jobId = state.openJob;
  const v = state.viewer;
  v.index = index;
  $('viewer').dataset.taskId = task.task_id;
  $('viewer-title').textContent = task.name;
  $('viewer-sub').textContent = `task ${task.task_id} · output ${task.output_name} · ${task.width}×${task.height}`;
  $('compare-original').src = taskUrl(jobId, task, 'original');
  $('compare-cutout').src = taskUrl(jobId, task, 'cutout');
  $('viewer-panel-link').href = taskUrl(jobId, task, 'compare');
  $('viewer-cutout-link').href = taskUrl(jobId, task, 'cutout');
  $('viewer-result-link').href = taskUrl(jobId, task, 'result');
  $('viewer-original-link').href = taskUrl(jobId, task, 'original');
  renderFigures(task);
  const order = completedIndexes();
  const at = order.indexOf(index);
  $('viewer-prev').disabled = at <= 0;
  $('viewer-next').disabled = at < 0 || at >= order.length - 1;
  setSplit(v.split);
  applyBackground();
  if (!$('viewer').open) $('viewer').showModal();
  fitStage();
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
  const section = (title) => rows.push(el('tr', { class: 'section' }, el('th', { colspan: '2', text: title })));
  const row = (label, value, key) => rows.push(el('tr', { dataset: { figure: key } }, el('th', { text: label }), el('td', { text: value })));
  section('Matte');
  row('Size', `${task.width} × ${task.height}`, 'size');
  row('Foreground', pct(task.fg_fraction), 'fg_fraction');
  row('Uncertain (soft) pixels', pct(task.uncertain_fraction), 'uncertain_fraction');
  row('Components', fmt(task.components), 'components');
  row('Largest component', pct(task.largest_share), 'largest_share');
  row('Warnings', task.warnings ? task.warnings.split(',').join(', ') : 'none', 'warnings');
  section('Against ground truth');
  if ([task.sad, task.mse, task.grad, task.conn, task.iou].every((x) => x === null || x === undefined)) {
    rows.push(el('tr', {}, el('td', { colspan: '2', class: 'muted', style: 'text-align:left', text: 'No ground-truth alpha supplied' })));
  } else {
    row('SAD (÷1000)', fmt(task.sad), 'sad');
    row('MSE', fmt(task.mse, 4), 'mse');
    row('Gradient', fmt(task.grad), 'grad');
    row('Connectivity', fmt(task.conn), 'conn');
    row('IoU', fmt(task.iou), 'iou');
  }
  section('Processing');
  row('Matting', task.matting_ms === null ? '–' : `${fmt(task.matting_ms)} ms`, 'matting_ms');
  row('Comparison', task.compare_ms === null ? '–' : `${fmt(task.compare_ms)} ms`, 'compare_ms');
  row('Attempts', fmt(task.attempts), 'attempts');
  row('Worker', task.worker_id || '–', 'worker_id');
  $('compare-figures').replaceChildren(...rows);
}

function setSplit(value) {
  const v = Math.max(0, Math.min(100, Number(value)));
  state.viewer.split = v;
  $('compare-slider').value = String(v);
  $('compare-after').style.clipPath = `inset(0 0 0 ${v}%)`;
  $('compare-divider').style.left = `${v}%`;
}

function applyBackground() {
  const { bg, color } = state.viewer;
  const after = $('compare-after');
  after.className = `compare-after ${bg === 'custom' ? '' : `bg-${bg}`}`;
  after.style.background = bg === 'custom' ? color : '';
  after.dataset.bg = bg;
  const radio = document.querySelector(`input[name="bg"][value="${bg}"]`);
  if (radio) radio.checked = true;
  $('bg-color').value = color;
  try {
    localStorage.setItem('mattepipe.bg', JSON.stringify({ bg, color }));
  } catch {
    // storage may be off; the choice then lasts for this page only
  }
}

function initViewer() {
  try {
    const saved = JSON.parse(localStorage.getItem('mattepipe.bg') || 'null');
    if (saved && ['checker', 'white', 'black', 'custom'].includes(saved.bg)) {
      state.viewer.bg = saved.bg;
      if (/^#[0-9a-f]{6}$/i.test(saved.color)) state.viewer.color = saved.color;
    }
  } catch {
    // ignore a bad saved value
  }
  applyBackground();
  $('compare-slider').addEventListener('input', (e) => setSplit(e.target.value));
  for (const radio of document.querySelectorAll('input[name="bg"]')) {
    radio.addEventListener('change', () => {
      state.viewer.bg = radio.value;
      applyBackground();
    });
  }
  $('bg-color').addEventListener('input', (e) => {
    state.viewer.color = e.target.value;
    state.viewer.bg = 'custom';
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
  $('viewer-prev').addEventListener('click', () => stepViewer(-1));
  $('viewer-next').addEventListener('click', () => stepViewer(1));
  $('viewer').addEventListener('click', (e) => {
    if (e.target === $('viewer')) $('viewer').close(); // a click on the backdrop
  });
  $('viewer').addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'ArrowLeft') stepViewer(-1);
    if (e.key === 'ArrowRight') stepViewer(1);
  });
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
  try {
    await refreshJobs();
    await refreshJobView();
    setHealth(true);
  } catch (e) {
    setHealth(false, e);
  } finally {
    state.polling = false;
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

function init() {
  initUpload();
  initGallery();
  initViewer();
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

// Touch-up of one cutout's matte: a brush that keeps and one that erases, its size, undo and redo,
// zoom; saved as a new version of the matte (PUT .../matte, a greyscale PNG of the image's size),
// optionally followed by "refine edges" (POST .../matte/refine), which re-fits the border to the
// photo on the server. The model does not run again.

const UNDO_LIMIT = 30;
/** How strongly what is left out is tinted red, so the border shows on any photo. */
const TINT = 0.6;
const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A greyscale 8-bit PNG (colour type 0) of the values: what the API takes; a canvas can only export RGBA. */
export async function greyPng(width, height, values) {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(values.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const zlib = new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'));
  const idat = new Uint8Array(await new Response(zlib).arrayBuffer());
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace are the zeros after it
  return new Blob([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))],
    { type: 'image/png' });
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`could not load ${url}`));
    image.src = url;
  });
}

function pixelsOf(image, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(image, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

const $ = (id) => document.getElementById(id);

const editor = {
  width: 0, height: 0, photo: null, matte: null, view: null, undo: [], redo: [],
  last: null, task: null, jobId: null, onSaved: null,
};

/** Draws the photo, tinted red where the matte leaves it out, inside the rectangle. */
function render(x0 = 0, y0 = 0, x1 = editor.width, y1 = editor.height) {
  const { width, photo, matte, view } = editor;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      const out = (255 - matte[i]) / 255 * TINT;
      view.data[i * 4] = photo.data[i * 4] * (1 - out) + 255 * out;
      view.data[i * 4 + 1] = photo.data[i * 4 + 1] * (1 - out);
      view.data[i * 4 + 2] = photo.data[i * 4 + 2] * (1 - out);
      view.data[i * 4 + 3] = 255;
    }
  }
  $('touchup-canvas').getContext('2d').putImageData(view, 0, 0, x0, y0, x1 - x0, y1 - y0);
}

function stamp(cx, cy) {
  const r = Number($('touchup-size').value) / 2;
  const value = $('touchup-erase').checked ? 0 : 255;
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(editor.width, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(editor.height, Math.ceil(cy + r + 1));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) editor.matte[y * editor.width + x] = value;
    }
  }
  if (x1 > x0 && y1 > y0) render(x0, y0, x1, y1);
}

/** From the last point to this one in steps of a quarter brush, so a fast stroke has no gaps. */
function strokeTo(point) {
  const from = editor.last || point;
  const step = Math.max(1, Number($('touchup-size').value) / 4);
  const steps = Math.max(1, Math.ceil(Math.hypot(point.x - from.x, point.y - from.y) / step));
  for (let s = 1; s <= steps; s++) stamp(from.x + ((point.x - from.x) * s) / steps, from.y + ((point.y - from.y) * s) / steps);
  editor.last = point;
}

function imagePoint(e) {
  const canvas = $('touchup-canvas');
  const rect = canvas.getBoundingClientRect();
  return { x: ((e.clientX - rect.left) * canvas.width) / rect.width, y: ((e.clientY - rect.top) * canvas.height) / rect.height };
}

function remember(stack, other) {
  stack.push(editor.matte.slice());
  if (stack.length > UNDO_LIMIT) stack.shift();
  if (other) other.length = 0;
}

function step(from, to) {
  if (!from.length) return;
  to.push(editor.matte);
  editor.matte = from.pop();
  render();
  updateButtons();
}

function updateButtons() {
  $('touchup-undo').disabled = !editor.undo.length;
  $('touchup-redo').disabled = !editor.redo.length;
}

function applyZoom() {
  const canvas = $('touchup-canvas');
  const choice = $('touchup-zoom').value;
  const fit = Math.min(1, ($('touchup-stage').clientWidth - 4) / editor.width, (window.innerHeight * 0.6) / editor.height);
  const zoom = choice === 'fit' ? fit : Number(choice);
  canvas.style.width = `${Math.round(editor.width * zoom)}px`;
  canvas.style.height = `${Math.round(editor.height * zoom)}px`;
}

async function save(refine) {
  const { jobId, task } = editor;
  const base = `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(task.task_id)}`;
  $('touchup-status').textContent = 'saving…';
  try {
    const png = await greyPng(editor.width, editor.height, editor.matte);
    let response = await fetch(`${base}/matte`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
    if (response.ok && refine) response = await fetch(`${base}/matte/refine`, { method: 'POST' });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    $('touchup').close();
    editor.onSaved(answer.matte_version);
  } catch (e) {
    $('touchup-status').textContent = `not saved: ${e.message}`;
  }
}

/** Opens the editor on a finished task; {@code onSaved(version)} runs once its new matte is stored. */
export async function openTouchUp(jobId, task, urlOf, onSaved) {
  Object.assign(editor, { jobId, task, onSaved, undo: [], redo: [], last: null, width: task.width, height: task.height });
  $('touchup-title').textContent = task.name;
  $('touchup-status').textContent = 'loading…';
  $('touchup').showModal();
  try {
    const [photo, matte] = await Promise.all([loadImage(urlOf('original')), loadImage(urlOf('matte'))]);
    if (photo.naturalWidth !== task.width || photo.naturalHeight !== task.height) {
      throw new Error(`the original is ${photo.naturalWidth} × ${photo.naturalHeight}, the matte ${task.width} × ${task.height}`);
    }
    editor.photo = pixelsOf(photo, task.width, task.height);
    const grey = pixelsOf(matte, task.width, task.height).data;
    editor.matte = new Uint8Array(task.width * task.height);
    for (let i = 0; i < editor.matte.length; i++) editor.matte[i] = grey[i * 4];
    const canvas = $('touchup-canvas');
    canvas.width = task.width;
    canvas.height = task.height;
    editor.view = new ImageData(task.width, task.height);
    render();
    applyZoom();
    updateButtons();
    $('touchup-status').textContent = '';
    document.documentElement.dataset.touchup = 'ready';
  } catch (e) {
    $('touchup-status').textContent = `cannot edit this image here: ${e.message}`;
  }
}

export function initTouchUp() {
  const canvas = $('touchup-canvas');
  canvas.addEventListener('pointerdown', (e) => {
    if (!editor.matte) return;
    canvas.setPointerCapture(e.pointerId);
    remember(editor.undo, editor.redo);
    editor.last = null;
    strokeTo(imagePoint(e));
    updateButtons();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (canvas.hasPointerCapture(e.pointerId)) strokeTo(imagePoint(e));
  });
  $('touchup-undo').addEventListener('click', () => step(editor.undo, editor.redo));
  $('touchup-redo').addEventListener('click', () => step(editor.redo, editor.undo));
  $('touchup-zoom').addEventListener('change', applyZoom);
  $('touchup-save').addEventListener('click', () => save(false));
  $('touchup-save-refine').addEventListener('click', () => save(true));
  $('touchup-close').addEventListener('click', () => $('touchup').close());
  $('touchup').addEventListener('keydown', (e) => {
    if (e.ctrlKey && e.key === 'z') step(editor.undo, editor.redo);
    if (e.ctrlKey && e.key === 'y') step(editor.redo, editor.undo);
    if (e.key === 'k' || e.key === 'K') $('touchup-keep').checked = true;
    if (e.key === 'e' || e.key === 'E') $('touchup-erase').checked = true;
  });
}

// The Zoo tab (the js_on_load of its gr.HTML): a canvas of the page's own, and every selected model's
// reconstruction of what it shows, computed in this page by window.AEZoo (engine.js) on every pointer
// move (at most once per animation frame), on the noise slider, the seed and the pickers. The server is
// asked only for a new seed's noise, a random test digit, and the models the page cannot run.
// From Gradio: `element` (this component), `props` (the server's settings; `value`, set here, is the
// input the Explore tab takes), `server` (zoo.app.zoo_tab's functions), `watch` (a prop changed).
const zoo = window.AEZoo;
const find = selector => element.querySelector(selector);
const pad = find('#sketchpad canvas');
const ink = pad.getContext('2d', {willReadFrequently: true});
const size = props.canvas_size;
const noiseInput = find('#noise input'), noiseShown = find('#noise output'), seedInput = find('#seed input');
const grid = find('#reconstructions'), codes = find('#codes'), message = find('#message'), status = find('#engine');
const randomButton = find('#random-digit');
const root = find('.zoo-bench');
pad.width = pad.height = size;
noiseInput.step = props.noise_step;
seedInput.max = props.max_seed;

const state = {
  strokes: [],  // [[x, y], ...] per stroke, in canvas pixels
  pen: null,  // the pointer drawing now
  digit: null,  // the test digit placed on the page: {index, source, pixels}
  drawn: null,  // a box outside which the canvas is white ({left, top, right, bottom}), or null: all white
  input: {error: props.sketch.empty},  // what the models see: {x, source}, or {error} for the person
  reread: false,  // the canvas changed since `input` was read
  amplitude: 0,
  seed: 0,
  noise: new Map([[0, Float32Array.from(props.first_noise)]]),  // each seed's N(0, 1) draw, from the server
  since: null,  // the oldest event whose change is not yet shown ({type, timeStamp})
  publish: false,  // `value` is due for the Explore tab
  scheduled: false,
  cells: new Map(),  // model id -> {figure, canvas, caption}
  results: new Map(),  // "id|seed|amplitude" -> {h, out, mse} for the current input
  noisy: new Map(),  // "seed|amplitude" -> the noisy input
  idle: null,  // the idle callback filling `results` ahead
  remote: {asked: null, shown: null, results: new Map()},  // what the server computed for models the page cannot run
};

// ---------------------------------------------------------------------------------------------
// The canvas: black ink on a white page, as zoo.data.sketch.preprocess_sketch expects

function paintDot([x, y]) {
  ink.fillStyle = '#000';
  ink.beginPath();
  ink.arc(x, y, props.brush_size / 2, 0, 2 * Math.PI);
  ink.fill();
}

function paintStroke(points) {
  if (points.length === 1) return paintDot(points[0]);
  ink.strokeStyle = '#000';
  ink.lineWidth = props.brush_size;
  ink.lineCap = ink.lineJoin = 'round';
  ink.beginPath();
  ink.moveTo(...points[0]);
  for (const point of points.slice(1)) ink.lineTo(...point);
  ink.stroke();
}

// zoo.app.pictures.as_canvas: each of the digit's pixels a square, black ink on white, centred.
function paintDigit(pixels) {
  const small = document.createElement('canvas');
  zoo.draw(small, pixels.map(v => 1 - v), props.sketch.field);
  const scale = Math.floor(size / props.sketch.field), side = scale * props.sketch.field, margin = (size - side) / 2;
  ink.imageSmoothingEnabled = false;
  ink.drawImage(small, margin, margin, side, side);
}

function paintPage() {
  ink.fillStyle = '#fff';
  ink.fillRect(0, 0, size, size);
  state.drawn = null;
  if (state.digit) {
    paintDigit(state.digit.pixels);
    widen([0, 0], [size, size]);
  }
  for (const points of state.strokes) {
    paintStroke(points);
    for (const point of points) widen(point, point);
  }
}

// The canvas is white outside the strokes' points and the brush's reach (plus its antialiased edge).
function widen([left, top], [right, bottom]) {
  const reach = props.brush_size / 2 + 2, box = state.drawn;
  left = Math.max(Math.floor(left - reach), 0);
  top = Math.max(Math.floor(top - reach), 0);
  right = Math.min(Math.ceil(right + reach), size);
  bottom = Math.min(Math.ceil(bottom + reach), size);
  state.drawn = box ? {left: Math.min(box.left, left), top: Math.min(box.top, top), right: Math.max(box.right, right),
                       bottom: Math.max(box.bottom, bottom)}
                    : {left, top, right, bottom};
}

function at(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * size / box.width, (event.clientY - box.top) * size / box.height];
}

// A stroke is drawn whole on each move, over the page as it was before the stroke: the canvas then holds
// exactly what redrawing it from the strokes gives (after Undo), pixel for pixel.
const before = document.createElement('canvas');
before.width = before.height = size;
const beforeInk = before.getContext('2d', {willReadFrequently: true});  // in memory, as `ink`: no copy to a GPU and back

pad.addEventListener('pointerdown', event => {
  if (event.pointerType === 'mouse' && event.button !== 0) return;
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  state.pen = event.pointerId;
  beforeInk.drawImage(pad, 0, 0);
  state.strokes.push([at(event)]);
  paintStroke(state.strokes[state.strokes.length - 1]);
  widen(at(event), at(event));
  changed(event, true);
});
pad.addEventListener('pointermove', event => {
  if (state.pen !== event.pointerId) return;
  const points = state.strokes[state.strokes.length - 1];
  const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const move of moves.length ? moves : [event]) {
    points.push(at(move));
    widen(at(move), at(move));
  }
  ink.drawImage(before, 0, 0);
  paintStroke(points);
  changed(event, true);
});
const lift = event => {
  if (state.pen !== event.pointerId) return;
  state.pen = null;
  state.publish = true;
  changed(event, true);
};
pad.addEventListener('pointerup', lift);
pad.addEventListener('pointercancel', lift);

find('#sketchpad [data-action=undo]').addEventListener('click', event => {
  state.strokes.pop();
  repaint(event);
});
find('#sketchpad [data-action=clear]').addEventListener('click', event => {
  state.strokes = [];
  state.digit = null;
  repaint(event);
});
randomButton.addEventListener('click', async event => {
  const started = {type: 'random-digit', timeStamp: event.timeStamp};
  randomButton.disabled = true;
  try {
    const digit = await server.random_digit({});
    if (digit.error) throw new Error(digit.error);
    state.digit = {index: digit.index, source: digit.source, pixels: Float32Array.from(digit.pixels)};
    state.strokes = [];
    repaint(started);
  } catch (e) {
    message.textContent = `No test digit: ${e.message || e}`;
  } finally {
    randomButton.disabled = false;
  }
});

function repaint(event) {
  paintPage();
  state.publish = true;
  changed(event, true);
}

// ---------------------------------------------------------------------------------------------
// The controls: noise, seed, which models

noiseInput.addEventListener('input', event => {
  state.amplitude = Number(Number(noiseInput.value).toFixed(2));
  noiseShown.textContent = state.amplitude.toFixed(2);
  changed(event, false);
});

async function noiseFor(seed) {
  if (!state.noise.has(seed)) {
    const draw = await server.noise({seed});
    if (draw.error) throw new Error(draw.error);
    state.noise.set(seed, Float32Array.from(draw.noise));
  }
  return state.noise.get(seed);
}

function prefetch(seed) {
  for (const near of [seed - 1, seed + 1]) {
    if (near < 0 || near > props.max_seed || state.noise.has(near)) continue;
    noiseFor(near).then(() => { if (!state.idle && state.pen === null) state.idle = requestIdleCallback(fillAhead); },
                        () => null);
  }
}

seedInput.addEventListener('change', async event => {
  const text = seedInput.value.trim(), seed = Number(text);
  if (text === '' || !Number.isInteger(seed) || seed < 0 || seed > props.max_seed) {
    message.textContent = `Seed must be a whole number from 0 to ${props.max_seed}, got ${seedInput.value}.`;
    return;
  }
  try {
    await noiseFor(seed);
  } catch (e) {
    message.textContent = e.message || String(e);
    return;
  }
  if (Number(seedInput.value) !== seed) return;  // another seed was asked for meanwhile
  state.seed = seed;
  changed(event, false);
  prefetch(seed);  // the next seed up or down then needs no wait
});

function pickers() {
  // A row per variant (a kept model's row is "<variant> (yours)") and a column per d, each ticked at first.
  const fill = (fieldset, values) => {
    const known = new Set([...fieldset.querySelectorAll('input')].map(box => box.value));
    for (const value of values) {
      if (known.has(String(value))) continue;
      const label = document.createElement('label');
      label.innerHTML = '<input type="checkbox" checked> <span></span>';
      label.querySelector('input').value = value;
      label.querySelector('span').textContent = value;
      fieldset.append(label);
    }
  };
  fill(find('#variants'), [...new Set(zoo.list.map(m => m.row))]);
  fill(find('#dims'), [...new Set(zoo.list.map(m => m.latent_dim))].sort((a, b) => a - b));
}

function ticked(fieldset) {
  return new Set([...find(fieldset).querySelectorAll('input:checked')].map(box => box.value));
}

for (const fieldset of ['#variants', '#dims']) {
  find(fieldset).addEventListener('change', event => { layout(); changed(event, false); });
}

// ---------------------------------------------------------------------------------------------
// The results: a grid of pictures (a row per variant), the sparse codes, a message

function selection() {
  const rows = ticked('#variants'), dims = ticked('#dims');
  return zoo.list.filter(m => rows.has(m.row) && dims.has(String(m.latent_dim)));
}

function layout() {
  const chosen = selection();
  // A row per variant, its models in order of d; each caption names its d, so rows of different sizes
  // (the deep model is at d=30 only) need no empty columns.
  const rows = [...new Set(chosen.map(m => m.row))].map(
    row => chosen.filter(m => m.row === row).sort((a, b) => a.latent_dim - b.latent_dim));
  const columns = Math.max(1, ...rows.map(models => models.length));
  grid.replaceChildren();
  state.cells.clear();
  grid.style.gridTemplateColumns = `repeat(${columns}, 1fr)`;
  for (const models of rows) {
    for (let i = 0; i < columns; i++) {
      const entry = models[i];
      const figure = document.createElement('figure');
      if (entry) {
        figure.innerHTML = '<canvas></canvas><figcaption class="caption-label"></figcaption>';
        figure.dataset.model = entry.id;
        state.cells.set(entry.id, {figure, canvas: figure.querySelector('canvas'),
                                   caption: figure.querySelector('figcaption')});
      }
      grid.append(figure);
    }
  }
}

const blank = new Float32Array(props.sketch.field * props.sketch.field);

// Each model's result for the input at a seed and noise level, kept until the input changes: the page fills
// it for the other noise levels and the nearest seeds while idle, so the controls find them ready.
function noisyInput(seed, amplitude) {
  const key = `${seed}|${amplitude}`;
  if (!state.noisy.has(key)) state.noisy.set(key, zoo.addNoise(state.input.x, amplitude, state.noise.get(seed)));
  return state.noisy.get(key);
}

function result(entry, model, seed, amplitude) {
  const key = `${entry.id}|${seed}|${amplitude}`;
  if (!state.results.has(key)) {
    const h = model.encode(noisyInput(seed, amplitude)), out = model.decode(h);
    state.results.set(key, {h, out, mse: zoo.mse(out, state.input.x)});
  }
  return state.results.get(key);
}

function levels() {
  const count = Math.round(1 / props.noise_step), all = [];
  for (let i = 0; i <= count; i++) all.push(Number((i * props.noise_step).toFixed(2)));
  return all.sort((a, b) => Math.abs(a - state.amplitude) - Math.abs(b - state.amplitude));
}

// Idle work, nearest first: every model at the current settings (a picker ticked on), the selected ones at
// the noise levels either side (the slider), at the seeds either side (fetched ahead), then at every level.
function* pending() {
  const local = entries => entries.map(m => [m, zoo.models.get(m.id)]).filter(([, r]) => r && r.model)
    .map(([m, r]) => [m, r.model]);
  const chosen = local(selection()), [, ...byDistance] = levels();
  for (const [entry, model] of local(zoo.list)) yield [entry, model, state.seed, state.amplitude];
  for (const level of byDistance.slice(0, 2)) for (const [entry, model] of chosen) yield [entry, model, state.seed, level];
  for (const seed of [state.seed + 1, state.seed - 1]) {
    if (state.noise.has(seed)) for (const [entry, model] of chosen) yield [entry, model, seed, state.amplitude];
  }
  for (const level of byDistance.slice(2)) for (const [entry, model] of chosen) yield [entry, model, state.seed, level];
}

// A few milliseconds at a time, and none while an input waits: the work must never delay the person.
function fillAhead(deadline) {
  state.idle = null;
  if (state.pen !== null || state.input.error) return;
  const stop = performance.now() + 3;
  for (const [entry, model, seed, amplitude] of pending()) {
    if (state.results.has(`${entry.id}|${seed}|${amplitude}`)) continue;
    if (performance.now() > stop || deadline.timeRemaining() < 3 || navigator.scheduling?.isInputPending?.()) {
      state.idle = requestIdleCallback(fillAhead);
      return;
    }
    result(entry, model, seed, amplitude);
  }
}

function show() {
  const input = state.input, chosen = selection(), field = props.sketch.field;
  if (input.error) {
    message.textContent = input.error;
    zoo.draw(find('#clean canvas'), blank, field);
    zoo.draw(find('#noisy canvas'), blank, field);
    for (const cell of state.cells.values()) { cell.figure.hidden = true; }
    drawCodes([]);
    return;
  }
  zoo.draw(find('#clean canvas'), input.x, field);
  zoo.draw(find('#noisy canvas'), noisyInput(state.seed, state.amplitude), field);
  const sparse = [], remote = [];
  for (const entry of chosen) {
    const cell = state.cells.get(entry.id), record = zoo.models.get(entry.id);
    cell.figure.hidden = false;
    if (record && record.model) {
      const {h, out, mse} = result(entry, record.model, state.seed, state.amplitude);
      zoo.draw(cell.canvas, out, field);
      cell.caption.textContent = `${entry.label} · MSE ${mse.toFixed(4)}`;
      if (entry.sparse_code) sparse.push([entry, h]);
    } else if (record && record.error) {
      remote.push(entry);
    } else {
      cell.caption.textContent = `${entry.label} · loading`;
    }
  }
  if (remote.length) askServer(remote, input.x);
  for (const [entry, h] of showRemote(remote)) sparse.push([entry, h]);
  drawCodes(sparse);
  message.textContent = chosen.length
    ? `Input: ${input.source}; noise amplitude ${state.amplitude.toFixed(2)}, seed ${state.seed}.`
    : 'Pick at least one variant and one d.';
}

// The sparse codes as one bar chart: a bar per non-zero unit, each model in its own colour, drawn into a canvas
// (a chart of DOM nodes rebuilt on every frame cost the frame a millisecond); hovering a bar names it.
const chart = codes.querySelector('canvas'), chartLabel = codes.querySelector('p');
const CHART = {width: 760, height: 180, gap: 14, text: 30};  // text: two lines under each model
chart.bars = [];

function drawCodes(sparse) {
  const colours = props.colours;
  const colourOf = new Map(zoo.list.filter(m => m.sparse_code).map((m, i) => [m.id, colours[i % colours.length]]));
  const named = sparse.map(([entry]) => `${entry.label} ${colourOf.get(entry.id)[1]}`).join(', ');
  const label = sparse.length ? `Sparse codes h, one bar per unit, most exactly zero: ${named}`
                              : 'Sparse codes h: no model with a sparse code is selected.';
  if (chartLabel.textContent !== label) chartLabel.textContent = label;
  chart.hidden = !sparse.length;
  if (!sparse.length) return;
  const {width, height, gap, text} = CHART, ratio = window.devicePixelRatio || 1;
  if (chart.width !== width * ratio) { chart.width = width * ratio; chart.height = height * ratio; }
  const context = chart.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const step = (width - gap * (sparse.length - 1)) / sparse.reduce((n, [, h]) => n + h.length, 0);
  let top = 1e-9, bottom = 0;
  for (const [, h] of sparse) for (const v of h) { top = Math.max(top, v); bottom = Math.min(bottom, v); }
  const scale = (height - text) / (top - bottom), zero = (height - text) + bottom * scale;
  const ink = getComputedStyle(codes).color;
  context.font = '11px sans-serif';
  chart.bars = [];
  let left = 0;
  for (const [entry, h] of sparse) {
    context.fillStyle = colourOf.get(entry.id)[0];
    let on = 0;
    h.forEach((v, i) => {
      if (v === 0) return;
      on++;
      const x = left + i * step, y = v > 0 ? zero - v * scale : zero;
      context.fillRect(x, y, Math.max(step - 1, 1), Math.max(Math.abs(v) * scale, 0.5));
      chart.bars.push([x, x + step, `${entry.label} h${i} = ${v.toFixed(3)}`]);
    });
    context.fillStyle = ink;
    context.fillText(entry.label, left, height - 17);
    context.fillText(`${on} of ${h.length} non-zero`, left, height - 3);
    left += h.length * step + gap;
  }
  context.globalAlpha = 0.4;
  context.fillRect(0, zero, width, 1);
  context.globalAlpha = 1;
}

chart.addEventListener('mousemove', event => {
  const box = chart.getBoundingClientRect(), x = (event.clientX - box.left) * CHART.width / box.width;
  chart.title = (chart.bars.find(([from, to]) => from <= x && x < to) || [, , ''])[2];
});

// Models the page cannot run: the server reconstructs them (zoo_tab.server_reconstructions), the latest
// input only; the same input is not asked twice.
const reconstructOnServer = zoo.latestOnly(
  (ids, x, amplitude, seed) => server.run_on_server({pixels: Array.from(x), noise_amplitude: amplitude, seed, ids}),
  (answer, [ids, x, amplitude, seed]) => {
    if (answer.error) {
      message.textContent = `The server could not reconstruct: ${answer.error}`;
      return;
    }
    state.remote.results = new Map(answer.results.map(r => [r.id, r]));
    state.remote.shown = remoteKey(ids, x, amplitude, seed);
    schedule();
  });

const remoteKey = (ids, x, amplitude, seed) => JSON.stringify([ids, amplitude, seed]) + x.join(',');

function askServer(entries, x) {
  const ids = entries.map(m => m.id), key = remoteKey(ids, x, state.amplitude, state.seed);
  if (state.remote.asked === key) return;
  state.remote.asked = key;
  reconstructOnServer(ids, x, state.amplitude, state.seed);
}

function showRemote(entries) {
  const codesOut = [];
  if (state.remote.shown !== state.remote.asked) return codesOut;  // the answer for this input is on its way
  for (const entry of entries) {
    const result = state.remote.results.get(entry.id), cell = state.cells.get(entry.id);
    if (!result || !cell) continue;
    zoo.draw(cell.canvas, result.pixels, props.sketch.field);
    cell.caption.textContent = `${entry.label} · MSE ${result.mse.toFixed(4)} (on the server)`;
    if (entry.sparse_code) codesOut.push([entry, Float32Array.from(result.code)]);
  }
  return codesOut;
}

function describeEngine() {
  const records = zoo.list.map(m => [m, zoo.models.get(m.id)]);
  const here = records.filter(([, r]) => r && r.model), failed = records.filter(([, r]) => r && r.error);
  const megabytes = (here.reduce((n, [, r]) => n + r.bytes, 0) / 1e6).toFixed(1);
  let text = here.length === records.length
    ? `Every model runs in this page: ${here.length} loaded (${megabytes} MB of weights, fetched once and kept by the browser).`
    : `Models running in this page: ${here.length} of ${records.length}` + (failed.length ? '.' : ' (loading...).');
  if (failed.length) {
    text += ' On the server instead: ' + failed.map(([m, r]) => `${m.label} (${r.error})`).join('; ') + '.';
  }
  status.textContent = records.length ? text : 'Loading the models into this page...';
  status.dataset.state = failed.length ? 'server' : 'page';
  root.dataset.ready = zoo.settled() ? 'yes' : 'no';
}

// ---------------------------------------------------------------------------------------------
// One frame: read the canvas if it changed, run every selected model, show the results

// A pen's moves arrive once per frame, just before it: they are drawn in that frame. Any other event
// (a key, a click, the pen lifted) is drawn at once, so the work is done while the next frame is awaited.
function changed(event, reread) {
  state.reread = state.reread || reread;
  if (state.since === null && event) state.since = {type: event.type, timeStamp: event.timeStamp};
  if (event && event.type !== 'pointermove') frame();
  else schedule();
}

function schedule() {
  if (state.scheduled) return;
  state.scheduled = true;
  requestAnimationFrame(frame);
}

function readInput() {
  if (!state.strokes.length) {
    return state.digit ? {x: state.digit.pixels, source: state.digit.source} : {error: props.sketch.empty};
  }
  const read = zoo.prepare(pad, props.sketch, state.drawn);
  return read.error ? read : {x: read.x, source: 'your drawing'};
}

function frame(time) {
  state.scheduled = false;  // a frame still requested finds nothing new, and draws the same again
  const since = state.since;
  state.since = null;
  if (state.reread) {
    state.input = readInput();
    state.results.clear();
    state.noisy.clear();
    state.reread = false;
  }
  show();
  grid.dataset.frame = String(Number(grid.dataset.frame) + 1);
  if (since !== null) zoo.timed('zoo', since, time !== undefined);  // requestAnimationFrame passes a time
  if (state.pen === null) {
    if (state.publish) setTimeout(publish);  // after this frame is painted
    if (!state.idle) state.idle = requestIdleCallback(fillAhead);
  }
}

// The input, as the component's value: the Explore tab takes it.
function publish() {
  state.publish = false;
  const input = state.input;
  props.value = input.error ? null : {pixels: Array.from(input.x), source: input.source,
                                      digit: state.digit && !state.strokes.length ? state.digit.index : null};
}

zoo.onChange(() => { pickers(); layout(); describeEngine(); schedule(); });
watch('models', () => zoo.register(props.models));  // a model kept in the Train tab

// For scripts (tests, benchmarks): the input the models see now, and a seed's noise.
root.zoo = {input: () => (state.input.error ? null : Array.from(state.input.x)),
            noise: async seed => Array.from(await noiseFor(seed))};

// The first stroke should not wait for the browser to compile the preprocessing: run it once now.
const scratch = document.createElement('canvas');
scratch.width = scratch.height = size;
Object.assign(scratch.getContext('2d'), {fillStyle: '#fff', strokeStyle: '#000', lineWidth: props.brush_size});
scratch.getContext('2d').fillRect(0, 0, size, size);
scratch.getContext('2d').strokeRect(size / 4, size / 4, size / 2, size / 2);
zoo.prepare(scratch, props.sketch);

// Without the server's list (its request failed), the models this page was built with.
zoo.listing.catch(() => zoo.register(props.models));
pickers();
layout();
paintPage();
describeEngine();
schedule();
prefetch(0);

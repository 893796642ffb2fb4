// The zoo in the page: the list of models, each one's weights fetched by sha256 and run by layers.js; noise as the
// server adds it; how long a person waited. Loaded once per page (a <script> in the head, after layers.js and
// sketch.js, shared by the Zoo and Explore tabs) as window.AEZoo.
// The server's counterparts: zoo.noise.add_white_noise (addNoise), zoo.model.AutoEncoder (Model, layers.js),
// zoo.app.page_models (the program each model runs), zoo.data.sketch.preprocess_sketch (prepare, sketch.js).
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.register) return;

  // The page's list of models (zoo/models.json, in the server's order), and each one by id: {entry, state
  // ('waiting', 'loading', 'in' or 'failed'), model (when in), error (when the page cannot run it), received
  // (its bytes, once in), ready (a promise, settled when it is in or has failed), askedAt, receivedAt, loadedAt}.
  const list = [];
  const models = new Map();
  const listeners = new Set();
  const notify = () => listeners.forEach(f => f());

  /** Resolves to AEZoo's `name` once its script is in (the parts load in no set order). */
  const part = name => new Promise(resolve => {
    const check = () => {
      if (!zoo[name]) return;
      window.removeEventListener('aezoo-part', check);
      resolve(zoo[name]);
    };
    window.addEventListener('aezoo-part', check);
    check();
  });

  // ---------------------------------------------------------------------------------------------
  // Loading: none until `load` is called (the Zoo tab does, once its canvas shows), so the weights never hold up
  // the page's own scripts; then two files at a time, so the first models arrive soon instead of all sharing a
  // slow link, the models on screen first, then the smallest. A file that came at over FAST bytes per
  // millisecond (this machine, a LAN) says the link is fast: the rest then come all at once.

  const AT_ONCE = 2, FAST = 4000;
  let shownFirst = () => [], loading = 0, loadingStarted = false, atOnce = AT_ONCE;

  /** Start loading the weights; `shown()` gives the ids of the models on screen now, loaded first. */
  function load(shown) {
    if (shown) shownFirst = shown;
    loadingStarted = true;
    pump();
  }

  function pump() {
    while (loadingStarted && loading < atOnce) {
      const shown = new Set(shownFirst());
      const waiting = list.map(m => models.get(m.id)).filter(r => r && r.state === 'waiting')
        .sort((a, b) => shown.has(b.entry.id) - shown.has(a.entry.id) || a.entry.bytes - b.entry.bytes);
      if (!waiting.length) return;
      const record = waiting[0];
      Object.assign(record, {state: 'loading', askedAt: performance.now()});
      loading += 1;
      fetchModel(record).then(model => Object.assign(record, {model, state: 'in'}),
                              e => Object.assign(record, {error: e.message || String(e), state: 'failed'}))
        .finally(() => {
          loading -= 1;
          record.loadedAt = performance.now();
          record.settle();
          notify();
          pump();
        });
    }
  }

  /** The bytes of a model's file; refused if cut short or not the file the list names. Read whole, not as a
   * stream: each chunk of a stream costs a task on the page's busy main thread while Gradio's page renders. */
  async function download(record) {
    const entry = record.entry, response = await fetch(entry.url, {cache: 'force-cache'});
    if (!response.ok) throw new Error(`its weights did not load: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    record.receivedAt = performance.now();
    record.received = Math.min(bytes.length, entry.bytes);
    if (bytes.length / (record.receivedAt - record.askedAt) > FAST) atOnce = Infinity;
    if (bytes.length < entry.bytes) {
      throw new Error(`its weights file was cut short (${bytes.length} of ${entry.bytes} bytes)`);
    }
    if (bytes.length > entry.bytes) throw new Error('its weights file is longer than listed');
    if (crypto.subtle) {  // only in a secure context (https, localhost); elsewhere the length and the reader check
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const hex = Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
      if (hex !== entry.sha256) throw new Error('its weights file is not the one listed (sha256 differs)');
    }
    return bytes.buffer;
  }

  async function fetchModel(record) {
    const entry = record.entry;
    if (!entry.program) throw new Error(entry.unsupported || 'the server gave no program for it');
    let buffer;
    try {
      buffer = await download(record);
    } catch (e) {
      const text = e.message || String(e);
      throw new Error(text.startsWith('its weights') ? text : `its weights did not load: ${text}`);
    }
    let model;
    try {
      model = new (await part('Model'))(entry, (await part('readSafetensors'))(buffer));
    } catch (e) {
      throw new Error(`its weights file could not be read: ${e.message || e}`);
    }
    const grey = new Float32Array(entry.input_dim).fill(0.5);
    model.decode(model.encode(grey));  // the first run compiles the loops: not a person's first stroke
    return model;
  }

  /** The page's models are now `entries` (zoo.app.page_models.DemoModels.entry each); a new one waits its turn. */
  function register(entries) {
    listed = true;
    list.splice(0, list.length, ...entries);
    for (const entry of entries) {
      const known = models.get(entry.id);
      if (known && known.entry.url === entry.url) continue;
      const record = {entry, state: 'waiting', model: null, error: null, received: 0};
      record.ready = new Promise(resolve => { record.settle = resolve; });
      models.set(entry.id, record);
    }
    notify();
    pump();
  }

  /** Whether every listed model is loaded or known to fail (the list itself has come). */
  const settled = () => listed && list.every(m => models.get(m.id).loadedAt !== undefined);

  /** Call `f` whenever a model finishes loading or fails; returns a function that stops it. */
  function onChange(f) { listeners.add(f); return () => listeners.delete(f); }

  // ---------------------------------------------------------------------------------------------
  // Noise and error

  /** zoo.noise.add_white_noise in float32: clip(x + amplitude * noise, 0, 1), `noise` the server's N(0, 1) draw. */
  function addNoise(x, amplitude, noise) {
    const a = Math.fround(amplitude), out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = Math.fround(x[i] + Math.fround(a * noise[i]));
      out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    return out;
  }

  function mse(a, b) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
    return s / a.length;
  }

  const megabytes = n => (n / 1e6).toFixed(1);

  /** What the page runs, in words: {text, onServer: whether some model is computed by the server now}. */
  function describe() {
    const records = list.map(m => models.get(m.id)).filter(Boolean);
    if (!records.length) return {text: 'Loading the list of models...', onServer: false};
    const here = records.filter(r => r.model), failed = records.filter(r => r.error);
    const total = records.reduce((n, r) => n + r.entry.bytes, 0);
    const received = records.reduce((n, r) => n + r.received, 0);
    const precisions = [...new Set(here.map(r => r.entry.precision))].join('; ');
    let text;
    if (here.length === records.length) {
      text = `Every model runs in this page: ${here.length} loaded (${megabytes(total)} MB of weights, fetched once ` +
             `and kept by the browser), from ${precisions} weights with float64 sums.`;
    } else {
      text = `Models running in this page: ${here.length} of ${records.length}` +
             (here.length ? ` (from ${precisions} weights)` : '') + '.';
      const coming = records.filter(r => r.state === 'waiting' || r.state === 'loading');
      if (coming.length) {
        text += ` Weights: ${megabytes(received)} of ${megabytes(total)} MB in; until its own are in, a model is` +
                ' computed on the server (in float32).';
      }
    }
    if (failed.length) {
      text += ' On the server instead: ' + failed.map(r => `${r.entry.label} (${r.error})`).join('; ') + '.';
    }
    return {text, onServer: here.length < records.length};
  }

  /** A caller of the async `fn` (a server function) for the latest arguments only: one call at a time;
   * arguments replaced by newer ones while a call is out are dropped; `done(answer, args)` gets each answer
   * that is still the latest (a failed call answers {error}). */
  function latestOnly(fn, done) {
    let busy = false, next = null;
    return async (...args) => {
      next = args;
      if (busy) return;
      busy = true;
      while (next) {
        const current = next;
        next = null;
        let answer;
        try { answer = await fn(...current); } catch (e) { answer = {error: e.message || String(e)}; }
        if (!next) done(answer, current);
      }
      busy = false;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // How long a person waited: from an input event to the frame that shows its result.

  const timings = [];  // {view, kind: the event's type, since: its timeStamp, drawn, painted}, the last 2,000

  /** Call where a view has drawn the result of an event (the first since its last frame): records when it was
   * drawn and when the frame that shows it had been painted: the task after that frame, posted from its
   * animation frame callback (this one, if `inAnimationFrame`, else the next). */
  function timed(view, event, inAnimationFrame) {
    const drawn = performance.now(), channel = new MessageChannel();
    channel.port1.onmessage = () => {
      timings.push({view, kind: event.type, since: event.timeStamp, drawn, painted: performance.now()});
      if (timings.length > 2000) timings.shift();
    };
    if (inAnimationFrame) channel.port2.postMessage(null);
    else requestAnimationFrame(() => channel.port2.postMessage(null));
  }

  // The models the server started with are listed in the head (zoo.app.page_models.page_head), and the current
  // list, with any kept since, comes from zoo/models.json.
  let listed = false;
  const atLaunch = document.getElementById('zoo-models');
  if (atLaunch) {
    register(JSON.parse(atLaunch.textContent));
    listed = false;  // not settled until the current list has come
  }
  const listing = fetch('zoo/models.json', {cache: 'no-store'})
    .then(response => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then(register);

  Object.assign(zoo, {register, load, onChange, list, models, listing, settled, describe, addNoise, mse, timed, timings,
                      latestOnly});
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

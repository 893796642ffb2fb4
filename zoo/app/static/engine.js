// The zoo in the page: the list of models, each one's weights fetched by sha256 and run by layers.js; noise as the
// server adds it; how long a person waited. Loaded once per page (a <script> in the head, after layers.js and
// sketch.js, shared by the Zoo and Explore tabs) as window.AEZoo.
// The server's counterparts: zoo.noise.add_white_noise (addNoise), zoo.model.AutoEncoder (Model, layers.js),
// zoo.app.page_models (the program each model runs), zoo.data.sketch.preprocess_sketch (prepare, sketch.js).
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.register) return;

  // The page's list of models (zoo/models.json, in the server's order), and each one by id: {entry, model
  // (when loaded), error (when the page cannot run it), bytes, loadedAt}.
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

  async function load(entry) {
    if (!entry.program) throw new Error(entry.unsupported || 'the server gave no program for it');
    let weights;
    try {
      const response = await fetch(entry.url, {cache: 'force-cache'});
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      weights = (await part('readSafetensors'))(await response.arrayBuffer());
    } catch (e) {
      throw new Error(`its weights did not load: ${e.message || e}`);
    }
    const model = new (await part('Model'))(entry, weights);
    const grey = new Float32Array(entry.input_dim).fill(0.5);
    model.decode(model.encode(grey));  // the first run compiles the loops: not a person's first stroke
    return model;
  }

  /** The page's models are now `entries` (zoo.app.page_models.DemoModels.entry each); a new one starts loading. */
  function register(entries) {
    listed = true;
    list.splice(0, list.length, ...entries);
    for (const entry of entries) {
      const known = models.get(entry.id);
      if (known && known.entry.url === entry.url) continue;
      const record = {entry, model: null, error: null, bytes: 0};
      record.ready = load(entry).then(model => { record.model = model; record.bytes = entry.bytes; },
                                      e => { record.error = e.message || String(e); })
                               .finally(() => { record.loadedAt = performance.now(); notify(); });
      models.set(entry.id, record);
    }
    notify();
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

  /** What the page runs, in words: {text, onServer: whether some model is computed by the server instead}. */
  function describe() {
    const records = list.map(m => [m, models.get(m.id)]);
    const here = records.filter(([, r]) => r && r.model), failed = records.filter(([, r]) => r && r.error);
    const megabytes = (here.reduce((n, [, r]) => n + r.bytes, 0) / 1e6).toFixed(1);
    let text = here.length === records.length
      ? `Every model runs in this page: ${here.length} loaded (${megabytes} MB of weights, fetched once and kept by the browser).`
      : `Models running in this page: ${here.length} of ${records.length}` + (failed.length ? '.' : ' (loading...).');
    if (failed.length) {
      text += ' On the server instead: ' + failed.map(([m, r]) => `${m.label} (${r.error})`).join('; ') + '.';
    }
    return {text: records.length ? text : 'Loading the models into this page...', onServer: failed.length > 0};
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

  // The weights load while Gradio's page does: the models the server started with are listed in the head
  // (zoo.app.page_models.page_head), and the current list, with any kept since, comes from zoo/models.json.
  let listed = false;
  const atLaunch = document.getElementById('zoo-models');
  if (atLaunch) {
    register(JSON.parse(atLaunch.textContent));
    listed = false;  // not settled until the current list has come
  }
  const listing = fetch('zoo/models.json', {cache: 'no-store'})
    .then(response => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then(register);

  Object.assign(zoo, {register, onChange, list, models, listing, settled, describe, addNoise, mse, timed, timings,
                      latestOnly});
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

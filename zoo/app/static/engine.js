// The zoo in the page: each model's weights read from its safetensors file, run as dense layers.
// Loaded once per page (a <script> in the head, shared by the Zoo and Explore tabs) as window.AEZoo.
// The server's counterparts: zoo.data.sketch.preprocess_sketch (prepare), zoo.noise.add_white_noise
// (addNoise), zoo.model.AutoEncoder (Model), zoo.app.page_models (the program each model runs).
(() => {
  'use strict';
  if (window.AEZoo) return;

  // ---------------------------------------------------------------------------------------------
  // Weights: a safetensors file is an 8-byte little-endian header length, a JSON header naming each
  // tensor's dtype, shape and byte range, then the raw bytes (https://github.com/huggingface/safetensors).

  function readSafetensors(buffer) {
    const headerLength = Number(new DataView(buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
    const start = 8 + headerLength;
    const tensors = {};
    for (const [name, entry] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      if (entry.dtype !== 'F32') continue;  // the page reads F32 only (a batch norm's step count is I64, unused)
      const [begin, end] = entry.data_offsets;
      // A copy: the view needs 4-byte alignment, and the file's buffer can then be dropped.
      tensors[name] = {shape: entry.shape, data: new Float32Array(buffer.slice(start + begin, start + end))};
    }
    return tensors;
  }

  // ---------------------------------------------------------------------------------------------
  // Models: a program (a list of steps, made by the server from the nn.Module) over named tensors.

  // A Linear layer as (in, out) rows: y = b + sum over the inputs x_i != 0 of x_i * row_i. Most inputs
  // are exactly zero (ink-free pixels, ReLU units, a sparse code), and their rows are skipped.
  function linearStep(tensors, step) {
    const weight = tensors[step.weight], bias = tensors[step.bias];
    if (!weight || !bias) throw new Error(`missing tensor ${step.weight} or ${step.bias}`);
    const [outputs, inputs] = weight.shape;
    const rows = new Float32Array(inputs * outputs);  // transposed: rows[i * outputs + o] = W[o, i]
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < inputs; i++) rows[i * outputs + o] = weight.data[o * inputs + i];
    }
    const b = bias.data;
    return {inputs, outputs, run(x) {
      const y = new Float64Array(outputs);
      y.set(b);
      for (let i = 0; i < inputs; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const row = i * outputs;
        for (let o = 0; o < outputs; o++) y[o] += xi * rows[row + o];
      }
      return y;
    }};
  }

  // torch.nn.BatchNorm1d in eval mode: a fixed scale and shift per unit, from the training set's statistics.
  function batchnormStep(tensors, step) {
    const [weight, bias, mean, variance] = [step.weight, step.bias, step.mean, step.var].map(name => {
      if (!tensors[name]) throw new Error(`missing tensor ${name}`);
      return tensors[name].data;
    });
    const scale = Float64Array.from(weight, (w, i) => w / Math.sqrt(variance[i] + step.eps));
    const shift = Float64Array.from(bias, (b, i) => b - mean[i] * scale[i]);
    return {run(x) { for (let i = 0; i < x.length; i++) x[i] = x[i] * scale[i] + shift[i]; return x; }};
  }

  const elementwise = f => () => ({run(x) { for (let i = 0; i < x.length; i++) x[i] = f(x[i]); return x; }});
  const STEPS = {
    linear: linearStep,
    batchnorm: batchnormStep,
    relu: elementwise(v => (v > 0 ? v : 0)),
    silu: elementwise(v => v / (1 + Math.exp(-v))),
    sigmoid: elementwise(v => 1 / (1 + Math.exp(-v))),
    tanh: elementwise(Math.tanh),
    // zoo.model.JumpReLU: h = z above the threshold, else exactly 0. Both are rounded to float32 first, as
    // the server compares them, so a value at the threshold falls on the same side.
    jumprelu: (tensors, step) => {
      const threshold = Math.fround(step.threshold);
      return {run(x) {
        for (let i = 0; i < x.length; i++) x[i] = Math.fround(x[i]) > threshold ? x[i] : 0;
        return x;
      }};
    },
  };

  function compile(tensors, steps) {
    return steps.map(step => {
      const make = STEPS[step.op];
      if (!make) throw new Error(`no page implementation of '${step.op}'`);
      return make(tensors, step);
    });
  }

  function runSteps(steps, x) {
    let y = Float64Array.from(x);
    for (const step of steps) y = step.run(y);
    return Float32Array.from(y);
  }

  class Model {
    constructor(entry, tensors) {
      this.entry = entry;
      this.encoder = compile(tensors, entry.program.encoder);
      this.decoder = compile(tensors, entry.program.decoder);
    }
    encode(x) { return runSteps(this.encoder, x); }  // (784,) -> (d,)
    decode(h) { return runSteps(this.decoder, h); }  // (d,) -> (784,) in [0, 1]
  }

  // The page's list of models (zoo/models.json, in the server's order), and each one by id: {entry, model
  // (when loaded), error (when the page cannot run it), bytes, loadedAt}.
  const list = [];
  const models = new Map();
  const listeners = new Set();
  const notify = () => listeners.forEach(f => f());

  async function load(entry) {
    if (!entry.program) throw new Error(entry.unsupported || 'the server gave no program for it');
    let weights;
    try {
      const response = await fetch(entry.url, {cache: 'force-cache'});
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      weights = readSafetensors(await response.arrayBuffer());
    } catch (e) {
      throw new Error(`its weights did not load: ${e.message || e}`);
    }
    const model = new Model(entry, weights);
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
  // Noise and pictures

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

  /** Pixels in [0, 1] (size x size, row by row) into a canvas of that size, white on black as MNIST. */
  function draw(canvas, x, size) {
    if (canvas.width !== size) { canvas.width = size; canvas.height = size; }
    const context = canvas.getContext('2d');
    const image = context.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      // zoo.analysis.comparison.as_pixels: clipped, scaled to 255, rounded half to even as numpy does
      const v = roundHalfEven(Math.min(Math.max(x[i], 0), 1) * 255);
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // A drawing made to look like MNIST: zoo.data.sketch.preprocess_sketch, step for step, with its constants
  // (`sketch`: field, box, ink_threshold, crop_threshold, luma) passed from the server.

  // Python's round(): halves go to the even neighbour.
  function roundHalfEven(v) {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /** The grey level in [0, 1] of the RGBA pixel at byte j of `rgba` (ITU-R 601 luma weights). */
  function greyOf(luma) {
    const [r, g, b] = luma.map(w => w / 255);
    return (rgba, j) => r * rgba[j] + g * rgba[j + 1] + b * rgba[j + 2];
  }

  /** zoo.data.sketch.to_ink for an opaque RGBA canvas: ink in [0, 1], 1 where drawn, whatever the polarity.
   * `background`: the background's grey when the caller knows it (else the median of the border's). */
  function toInk(rgba, width, height, luma, background) {
    const weigh = greyOf(luma), grey = j => weigh(rgba, j);
    if (background === undefined) {
      const border = new Float32Array(2 * (width + height));
      let k = 0;
      for (let x = 0; x < width; x++) { border[k++] = grey(4 * x); border[k++] = grey(4 * ((height - 1) * width + x)); }
      for (let y = 0; y < height; y++) { border[k++] = grey(4 * y * width); border[k++] = grey(4 * (y * width + width - 1)); }
      border.sort();
      const middle = border.length >> 1;
      background = border.length % 2 ? border[middle] : (border[middle - 1] + border[middle]) / 2;
    }
    const light = background > 0.5, inkBackground = light ? 1 - background : background;
    const scale = Math.max(1 - inkBackground, 1e-6);
    const ink = new Float32Array(width * height);
    for (let i = 0, j = 0; i < ink.length; i++, j += 4) {
      const v = grey(j), value = ((light ? 1 - v : v) - inkBackground) / scale;
      ink[i] = value < 0 ? 0 : value > 1 ? 1 : value;
    }
    return ink;
  }

  // Pillow's resampling filter for Image.LANCZOS (src/libImaging/Resample.c): a 3-lobed windowed sinc,
  // widened by the scale when shrinking, which anti-aliases like MNIST's own normalisation.
  const sinc = x => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
  const lanczos = x => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0);

  function coefficients(inSize, outSize) {
    const scale = inSize / outSize, filterScale = Math.max(scale, 1), support = 3 * filterScale;
    const taps = [];
    for (let xx = 0; xx < outSize; xx++) {
      const centre = (xx + 0.5) * scale;
      const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
      const weights = new Float64Array(xmax);
      let total = 0;
      for (let x = 0; x < xmax; x++) total += (weights[x] = lanczos((x + xmin - centre + 0.5) / filterScale));
      if (total !== 0) for (let x = 0; x < xmax; x++) weights[x] /= total;
      taps.push({xmin, weights});
    }
    return taps;
  }

  /** Image.resize((outWidth, outHeight), LANCZOS) of a mode-"F" image: horizontal pass, then vertical. */
  function resize(pixels, width, height, outWidth, outHeight) {
    let image = pixels, w = width;
    if (outWidth !== width) {
      const taps = coefficients(width, outWidth), out = new Float32Array(outWidth * height);
      for (let y = 0; y < height; y++) {
        for (let xx = 0; xx < outWidth; xx++) {
          const {xmin, weights} = taps[xx];
          let s = 0;
          for (let x = 0; x < weights.length; x++) s += image[y * w + x + xmin] * weights[x];
          out[y * outWidth + xx] = s;
        }
      }
      image = out; w = outWidth;
    }
    if (outHeight !== height) {
      const taps = coefficients(height, outHeight), out = new Float32Array(w * outHeight);
      for (let yy = 0; yy < outHeight; yy++) {
        const {xmin: ymin, weights} = taps[yy];
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let y = 0; y < weights.length; y++) s += image[(y + ymin) * w + x] * weights[y];
          out[yy * w + x] = s;
        }
      }
      image = out;
    }
    return image;
  }

  /** zoo.data.sketch.normalise_ink: crop, scale into the box (aspect kept), centre by mass in the field.
   * `side`: the longer side of the whole canvas, if `ink` is only the part of it that can hold ink.
   * Returns {x: Float32Array(field * field)} or {error: the message for the person}. */
  function normaliseInk(ink, width, height, sketch, side = Math.max(width, height)) {
    let top = height, bottom = -1, left = width, right = -1, drawn = false;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = ink[y * width + x];
        if (v > sketch.ink_threshold) drawn = true;
        if (v > sketch.crop_threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (!drawn) return {error: sketch.empty};
    const cropHeight = bottom - top + 1, cropWidth = right - left + 1;
    if (Math.max(cropHeight, cropWidth) < Math.max(3, 0.04 * side)) return {error: sketch.dot};
    const crop = new Float32Array(cropWidth * cropHeight);
    for (let y = 0; y < cropHeight; y++) {
      for (let x = 0; x < cropWidth; x++) crop[y * cropWidth + x] = ink[(y + top) * width + x + left];
    }
    const scale = sketch.box / Math.max(cropHeight, cropWidth);
    const newHeight = Math.max(1, roundHalfEven(cropHeight * scale));
    const newWidth = Math.max(1, roundHalfEven(cropWidth * scale));
    const small = resize(crop, cropWidth, cropHeight, newWidth, newHeight);
    let peak = 0;
    for (let i = 0; i < small.length; i++) { if (small[i] < 0) small[i] = 0; peak = Math.max(peak, small[i]); }
    peak = Math.max(peak, 1e-6);
    let total = 0, massY = 0, massX = 0;
    for (let y = 0; y < newHeight; y++) {
      for (let x = 0; x < newWidth; x++) {
        const v = (small[y * newWidth + x] = Math.fround(small[y * newWidth + x] / peak));
        total += v; massY += y * v; massX += x * v;
      }
    }
    const field = sketch.field;
    let shiftY = roundHalfEven(field / 2 - massY / total), shiftX = roundHalfEven(field / 2 - massX / total);
    shiftY = Math.min(Math.max(shiftY, 0), field - newHeight);
    shiftX = Math.min(Math.max(shiftX, 0), field - newWidth);
    const x = new Float32Array(field * field);
    for (let y = 0; y < newHeight; y++) {
      for (let c = 0; c < newWidth; c++) x[(y + shiftY) * field + c + shiftX] = small[y * newWidth + c];
    }
    return {x};
  }

  /** preprocess_sketch of what an opaque canvas shows: {x: the model input} or {error: why there is none}.
   * `drawn` ({left, top, right, bottom}, optional): a box outside which the canvas is known to be white. When it
   * keeps off the border, only the box is read: the border, and so the background, is then white, and the ink
   * outside the box nothing; the result is the same as reading it all. */
  function prepare(canvas, sketch, drawn) {
    const {width, height} = canvas, context = canvas.getContext('2d', {willReadFrequently: true});
    if (!drawn || drawn.left < 1 || drawn.top < 1 || drawn.right > width - 1 || drawn.bottom > height - 1) {
      const rgba = context.getImageData(0, 0, width, height).data;
      return normaliseInk(toInk(rgba, width, height, sketch.luma), width, height, sketch);
    }
    const w = drawn.right - drawn.left, h = drawn.bottom - drawn.top;
    const rgba = context.getImageData(drawn.left, drawn.top, w, h).data;
    const white = greyOf(sketch.luma)([255, 255, 255, 255], 0);
    return normaliseInk(toInk(rgba, w, h, sketch.luma, white), w, h, sketch, Math.max(width, height));
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

  window.AEZoo = {register, onChange, list, models, listing, settled, addNoise, mse, draw, prepare, normaliseInk, toInk, resize,
                  roundHalfEven, readSafetensors, Model, timed, timings, latestOnly};
})();

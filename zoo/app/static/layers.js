// The models in the page, their maths: a safetensors file read into named tensors, and a model's program
// (a list of steps the server reads off the nn.Module: zoo.app.page_models) compiled into dense layers.
// Part of window.AEZoo (engine.js loads the weights and keeps the list).
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.Model) return;

  // ---------------------------------------------------------------------------------------------
  // Weights: a safetensors file is an 8-byte little-endian header length, a JSON header naming each
  // tensor's dtype, shape and byte range, then the raw bytes (https://github.com/huggingface/safetensors).
  // The page's files (zoo.app.page_weights) hold F16 tensors, and I8 matrices with an F16 scale per group of
  // `group` inputs of a row (the metadata's aezoo_page) in the tensor `<name>.scales`. Every tensor is read
  // into float32.

  /** IEEE float16 bit patterns as numbers (each exact in float32). */
  function fromHalves(halves) {
    const out = new Float32Array(halves.length);
    for (let i = 0; i < halves.length; i++) {
      const h = halves[i], sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 31, fraction = h & 1023;
      out[i] = exponent === 0 ? sign * fraction * 2 ** -24
        : exponent === 31 ? (fraction ? NaN : sign * Infinity)
          : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
    }
    return out;
  }

  const READERS = {
    F32: bytes => new Float32Array(bytes),
    F16: bytes => fromHalves(new Uint16Array(bytes)),
    I8: bytes => new Int8Array(bytes),
  };

  function readSafetensors(buffer) {
    if (buffer.byteLength < 8) throw new Error('shorter than a safetensors header');
    const headerLength = Number(new DataView(buffer).getBigUint64(0, true));
    if (8 + headerLength > buffer.byteLength) throw new Error('its header runs past the end of the file');
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
    const start = 8 + headerLength, raw = {};
    for (const [name, entry] of Object.entries(header)) {
      const read = READERS[entry.dtype];
      if (name === '__metadata__' || !read) continue;  // a batch norm's step count is I64, unused
      const [begin, end] = entry.data_offsets;
      if (start + end > buffer.byteLength) throw new Error(`its tensor ${name} runs past the end of the file`);
      // A copy: a typed view needs its alignment, and the file's buffer can then be dropped.
      raw[name] = {shape: entry.shape, data: read(buffer.slice(start + begin, start + end))};
    }
    const about = (header.__metadata__ || {}).aezoo_page, group = about ? JSON.parse(about).group : 0, tensors = {};
    for (const [name, tensor] of Object.entries(raw)) {
      if (name.endsWith('.scales')) continue;
      if (!(tensor.data instanceof Int8Array)) {
        tensors[name] = tensor;
        continue;
      }
      const scales = raw[`${name}.scales`], [rows, inputs] = tensor.shape, data = new Float32Array(rows * inputs);
      if (!scales || !group) throw new Error(`its int8 tensor ${name} has no scales`);
      const perRow = scales.shape[1];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < inputs; c++) {
          data[r * inputs + c] = tensor.data[r * inputs + c] * scales.data[r * perRow + Math.floor(c / group)];
        }
      }
      tensors[name] = {shape: tensor.shape, data};
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

  Object.assign(zoo, {readSafetensors, Model, STEPS});
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

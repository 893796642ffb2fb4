// The Zoo tab's results: each model's reconstruction of the input at a seed and noise level, kept until the input
// changes, and the idle work that fills them ahead (the other noise levels, the nearest seeds) so the controls
// find them ready. Part of window.AEZoo, as AEZoo.Results.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.Results) return;

  class Results {
    /** `noiseStep`: the noise slider's step; `firstNoise`: seed 0's N(0, 1) draw (each seed's comes from the server). */
    constructor(noiseStep, firstNoise) {
      this.noiseStep = noiseStep;
      this.noise = new Map([[0, firstNoise]]);  // seed -> its N(0, 1) draw
      this.x = null;  // the input the results are for
      this.results = new Map();  // "id|seed|amplitude" -> {h, out, mse}
      this.noisy = new Map();  // "seed|amplitude" -> the noisy input
      this.idle = null;  // the idle callback filling `results` ahead
    }

    /** A new input: every kept result is for the old one. */
    setInput(x) {
      this.x = x;
      this.results.clear();
      this.noisy.clear();
    }

    noisyInput(seed, amplitude) {
      const key = `${seed}|${amplitude}`;
      if (!this.noisy.has(key)) this.noisy.set(key, zoo.addNoise(this.x, amplitude, this.noise.get(seed)));
      return this.noisy.get(key);
    }

    has(id, seed, amplitude) { return this.results.has(`${id}|${seed}|${amplitude}`); }

    /** {h, out, mse} of the model `entry` runs (`model`, loaded) on the noisy input; computed once. */
    get(entry, model, seed, amplitude) {
      const key = `${entry.id}|${seed}|${amplitude}`;
      if (!this.results.has(key)) {
        const h = model.encode(this.noisyInput(seed, amplitude)), out = model.decode(h);
        this.results.set(key, {h, out, mse: zoo.mse(out, this.x)});
      }
      return this.results.get(key);
    }

    /** Every noise level of the slider, nearest `amplitude` first. */
    levels(amplitude) {
      const count = Math.round(1 / this.noiseStep), all = [];
      for (let i = 0; i <= count; i++) all.push(Number((i * this.noiseStep).toFixed(2)));
      return all.sort((a, b) => Math.abs(a - amplitude) - Math.abs(b - amplitude));
    }

    /** Idle work, nearest first: every model (`all`, [[entry, model], ...]) at the current settings (a picker ticked
     * on), the `chosen` ones at the noise levels either side (the slider), at the seeds either side (fetched
     * ahead), then at every level. */
    * pending(all, chosen, seed, amplitude) {
      const [, ...byDistance] = this.levels(amplitude);
      for (const [entry, model] of all) yield [entry, model, seed, amplitude];
      for (const level of byDistance.slice(0, 2)) for (const [entry, model] of chosen) yield [entry, model, seed, level];
      for (const near of [seed + 1, seed - 1]) {
        if (this.noise.has(near)) for (const [entry, model] of chosen) yield [entry, model, near, amplitude];
      }
      for (const level of byDistance.slice(2)) for (const [entry, model] of chosen) yield [entry, model, seed, level];
    }

    /** Fill results ahead while the page is idle: `jobs()` gives the pending work now, `mayWork()` says whether
     * to (not while the pen is down, nor without an input). A few milliseconds at a time, and none while an
     * input waits: the work must never delay the person. */
    fillAhead(jobs, mayWork) {
      if (!this.idle) this.idle = requestIdleCallback(deadline => this.work(deadline, jobs, mayWork));
    }

    work(deadline, jobs, mayWork) {
      this.idle = null;
      if (!mayWork()) return;
      const stop = performance.now() + 3;
      for (const [entry, model, seed, amplitude] of jobs()) {
        if (this.has(entry.id, seed, amplitude)) continue;
        if (performance.now() > stop || deadline.timeRemaining() < 3 || navigator.scheduling?.isInputPending?.()) {
          this.fillAhead(jobs, mayWork);
          return;
        }
        this.get(entry, model, seed, amplitude);
      }
    }
  }

  zoo.Results = Results;
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

// The models the page cannot run (or has not loaded yet), reconstructed by the server
// (zoo.app.zoo_tab.server_reconstructions): the latest input only, the same models never asked twice for it.
// Part of window.AEZoo, as AEZoo.ServerResults.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.ServerResults) return;

  const keyOf = (x, amplitude, seed) => JSON.stringify([amplitude, seed]) + x.join(',');

  class ServerResults {
    /** `run({pixels, noise_amplitude, seed, ids})`: the server function; `answered()` when an answer is in;
     * `failed(message)` when the server refused. */
    constructor(run, answered, failed) {
      this.asked = null;  // the key of the last input asked for
      this.askedIds = new Set();  // and the models asked for it
      this.shown = null;  // the key of the input `results` are for
      this.results = new Map();  // model id -> {id, pixels, code, mse}
      this.call = zoo.latestOnly(
        (ids, x, amplitude, seed) => run({pixels: Array.from(x), noise_amplitude: amplitude, seed, ids}),
        (answer, [, x, amplitude, seed]) => {
          if (answer.error) return failed(answer.error);
          this.results = new Map(answer.results.map(r => [r.id, r]));
          this.shown = keyOf(x, amplitude, seed);
          answered();
        });
    }

    /** Ask for `entries` on input x (a no-op if they were all asked for it already). */
    ask(entries, x, amplitude, seed) {
      const ids = entries.map(m => m.id), key = keyOf(x, amplitude, seed);
      if (this.asked === key && ids.every(id => this.askedIds.has(id))) return;
      this.asked = key;
      this.askedIds = new Set(ids);
      this.call(ids, x, amplitude, seed);
    }

    /** [[entry, result], ...] for those of `entries` the server has answered for the input last asked. */
    answers(entries) {
      if (this.shown !== this.asked) return [];  // the answer for this input is on its way
      return entries.filter(m => this.results.has(m.id)).map(m => [m, this.results.get(m.id)]);
    }
  }

  zoo.ServerResults = ServerResults;
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

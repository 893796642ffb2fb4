// The Zoo tab (the js_on_load of its gr.HTML): every selected model's reconstruction of what the canvas shows,
// computed in this page on every pointer move (at most once per animation frame), on the noise slider, the seed
// and the pickers. The server is asked only for a new seed's noise, a random test digit, and the models the page
// cannot run or has not loaded yet. The parts are AEZoo's: Sketchpad, ModelGrid, Results, ServerResults,
// CodeChart (one file each).
// From Gradio: `element` (this component), `props` (the server's settings; `value`, set here, is the input the
// Explore tab takes), `server` (zoo.app.zoo_tab's functions), `watch` (a prop changed).
// The parts come in one script (page_models.PAGE_SCRIPTS), which may still be loading when Gradio runs this:
// the tab starts once every one is in.
const PARTS = ['Model', 'prepare', 'draw', 'register', 'Sketchpad', 'ModelGrid', 'Results', 'ServerResults', 'CodeChart'];
const partsIn = () => PARTS.every(name => window.AEZoo && window.AEZoo[name]);
if (partsIn()) {
  start();
} else {
  const wait = () => { if (partsIn()) { window.removeEventListener('aezoo-part', wait); start(); } };
  window.addEventListener('aezoo-part', wait);
}

function start() {
  const zoo = window.AEZoo;
  const find = selector => element.querySelector(selector);
  const root = find('.zoo-page'), message = find('#message');
  const noiseInput = find('#noise input'), noiseShown = find('#noise output'), seedInput = find('#seed input');
  const randomButton = find('#random-digit'), grid = find('#reconstructions');
  noiseInput.step = props.noise_step;
  seedInput.max = props.max_seed;

  const pad = new zoo.Sketchpad(find('#sketchpad canvas'), {size: props.canvas_size, brush: props.brush_size,
                                                            field: props.sketch.field}, changed);
  const models = new zoo.ModelGrid(find('#variants'), find('#dims'), grid);
  const results = new zoo.Results(props.noise_step, Float32Array.from(props.first_noise));
  const onServer = new zoo.ServerResults(server.run_on_server, schedule,
                                         error => { message.textContent = `The server could not reconstruct: ${error}`; });
  const chart = new zoo.CodeChart(find('#codes'), props.colours);
  // input: what the models see ({x, source}, or {error} for the person); since: the oldest event not yet shown.
  const state = {input: {error: props.sketch.empty}, reread: false, amplitude: 0, seed: 0, since: null, publish: false,
                 scheduled: false};

  // ---------------------------------------------------------------------------------------------
  // The controls

  find('#sketchpad [data-action=undo]').addEventListener('click', event => pad.undo(event));
  find('#sketchpad [data-action=clear]').addEventListener('click', event => pad.clear(event));
  randomButton.addEventListener('click', async event => {
    const started = {type: 'random-digit', timeStamp: event.timeStamp};
    randomButton.disabled = true;
    try {
      const digit = await server.random_digit({});
      if (digit.error) throw new Error(digit.error);
      pad.place({index: digit.index, source: digit.source, pixels: Float32Array.from(digit.pixels)}, started);
    } catch (e) {
      message.textContent = `No test digit: ${e.message || e}`;
    } finally {
      randomButton.disabled = false;
    }
  });
  noiseInput.addEventListener('input', event => {
    state.amplitude = Number(Number(noiseInput.value).toFixed(2));
    noiseShown.textContent = state.amplitude.toFixed(2);
    changed(event, false);
  });

  async function noiseFor(seed) {
    if (!results.noise.has(seed)) {
      const draw = await server.noise({seed});
      if (draw.error) throw new Error(draw.error);
      results.noise.set(seed, Float32Array.from(draw.noise));
    }
    return results.noise.get(seed);
  }

  // The seeds either side, fetched ahead: the next seed up or down then needs no wait.
  function prefetch(seed) {
    for (const near of [seed - 1, seed + 1]) {
      if (near >= 0 && near <= props.max_seed && !results.noise.has(near)) noiseFor(near).then(fillAhead, () => null);
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
    prefetch(seed);
  });
  for (const fieldset of [find('#variants'), find('#dims')]) {
    fieldset.addEventListener('change', event => { models.layout(zoo.list); changed(event, false); });
  }

  // ---------------------------------------------------------------------------------------------
  // What the page shows

  const loaded = entries => entries.map(m => [m, zoo.models.get(m.id)]).filter(([, r]) => r && r.model)
    .map(([m, r]) => [m, r.model]);

  function fillAhead() {
    results.fillAhead(() => results.pending(loaded(zoo.list), loaded(models.selection(zoo.list)), state.seed,
                                            state.amplitude),
                      () => !pad.drawing && !state.input.error);
  }

  function show() {
    const input = state.input, chosen = models.selection(zoo.list), field = props.sketch.field;
    if (input.error) {
      message.textContent = input.error;
      for (const id of ['#clean canvas', '#noisy canvas']) zoo.draw(find(id), new Float32Array(field * field), field);
      for (const cell of models.cells.values()) cell.figure.hidden = true;
      chart.draw([], zoo.list);
      return;
    }
    zoo.draw(find('#clean canvas'), input.x, field);
    zoo.draw(find('#noisy canvas'), results.noisyInput(state.seed, state.amplitude), field);
    // A model whose weights are not in yet (or never will be) is computed by the server meanwhile.
    const sparse = [], remote = [];
    for (const entry of chosen) {
      const cell = models.cells.get(entry.id), record = zoo.models.get(entry.id);
      cell.figure.hidden = false;
      if (record && record.model) {
        const {h, out, mse} = results.get(entry, record.model, state.seed, state.amplitude);
        zoo.draw(cell.canvas, out, field);
        cell.caption.textContent = `${entry.label} · MSE ${mse.toFixed(4)}`;
        cell.figure.dataset.shows = 'page';
        cell.figure.title = `${entry.label}: computed in this page, from ${entry.precision} weights`;
        if (entry.sparse_code) sparse.push([entry, h]);
      } else {
        remote.push(entry);
        if (!cell.figure.dataset.shows) cell.caption.textContent = `${entry.label} · asking the server`;
        cell.figure.dataset.shows = 'asked';  // what it shows, if anything, is for an earlier input
      }
    }
    if (remote.length) onServer.ask(remote, input.x, state.amplitude, state.seed);
    for (const [entry, answer] of onServer.answers(remote)) {
      const cell = models.cells.get(entry.id);
      zoo.draw(cell.canvas, answer.pixels, field);
      cell.caption.textContent = `${entry.label} · MSE ${answer.mse.toFixed(4)} (on the server)`;
      cell.figure.dataset.shows = 'server';
      cell.figure.title = `${entry.label}: computed on the server, in float32`;
      if (entry.sparse_code) sparse.push([entry, Float32Array.from(answer.code)]);
    }
    chart.draw(sparse, zoo.list);
    message.textContent = chosen.length
      ? `Input: ${input.source}; noise amplitude ${state.amplitude.toFixed(2)}, seed ${state.seed}.`
      : 'Pick at least one variant and one d.';
  }

  function describeEngine() {
    const {text, onServer: someOnServer} = zoo.describe(), status = find('#engine');
    status.textContent = text;
    status.dataset.state = someOnServer ? 'server' : 'page';
    root.dataset.ready = zoo.settled() ? 'yes' : 'no';
  }

  // ---------------------------------------------------------------------------------------------
  // One frame: read the canvas if it changed, run every selected model, show the results

  // A pen's moves arrive once per frame, just before it: they are drawn in that frame. Any other event (a key, a
  // click, the pen lifted) is drawn at once, so the work is done while the next frame is awaited. A finished change
  // to the input (the pen lifted, Undo, Clear, a test digit) is published for the Explore tab.
  function changed(event, reread) {
    state.reread = state.reread || reread;
    if (reread && event && event.type !== 'pointerdown' && event.type !== 'pointermove') state.publish = true;
    if (state.since === null && event) state.since = {type: event.type, timeStamp: event.timeStamp};
    if (event && event.type !== 'pointermove') frame();
    else schedule();
  }

  function schedule() {
    if (state.scheduled) return;
    state.scheduled = true;
    requestAnimationFrame(frame);
  }

  function frame(time) {
    state.scheduled = false;  // a frame still requested finds nothing new, and draws the same again
    const since = state.since;
    state.since = null;
    if (state.reread) {
      state.input = pad.read(props.sketch);
      results.setInput(state.input.x);
      state.reread = false;
    }
    show();
    grid.dataset.frame = String(Number(grid.dataset.frame) + 1);
    if (since !== null) zoo.timed('zoo', since, time !== undefined);  // requestAnimationFrame passes a time
    if (!pad.drawing) {
      if (state.publish) setTimeout(publish);  // after this frame is painted
      fillAhead();
    }
  }

  // The input, as the component's value: the Explore tab takes it.
  function publish() {
    state.publish = false;
    const input = state.input, digit = pad.digit && !pad.strokes.length ? pad.digit.index : null;
    props.value = input.error ? null : {pixels: Array.from(input.x), source: input.source, digit};
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  zoo.onChange(() => { models.pickers(zoo.list); models.layout(zoo.list); describeEngine(); schedule(); });
  watch('models', () => zoo.register(props.models));  // a model kept in the Train tab
  // For scripts (tests, benchmarks): the input the models see now, and a seed's noise.
  root.zoo = {input: () => (state.input.error ? null : Array.from(state.input.x)),
              noise: async seed => Array.from(await noiseFor(seed))};
  // The first stroke should not wait for the browser to compile the preprocessing: run it once now.
  const scratch = document.createElement('canvas');
  scratch.width = scratch.height = props.canvas_size;
  const scratchInk = Object.assign(scratch.getContext('2d'), {fillStyle: '#fff', strokeStyle: '#000',
                                                             lineWidth: props.brush_size});
  scratchInk.fillRect(0, 0, scratch.width, scratch.height);
  scratchInk.strokeRect(scratch.width / 4, scratch.width / 4, scratch.width / 2, scratch.width / 2);
  zoo.prepare(scratch, props.sketch);
  // Without the server's list (its request failed), the models this page was built with.
  zoo.listing.catch(() => zoo.register(props.models));
  models.pickers(zoo.list);
  models.layout(zoo.list);
  pad.paintPage();
  describeEngine();
  schedule();
  prefetch(0);
  zoo.load(() => models.selection(zoo.list).map(m => m.id));  // now that the canvas shows: the models on it first
  root.dataset.started = 'yes';  // the canvas takes strokes
}

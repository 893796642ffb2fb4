// Explore's interpolation strips (the js_on_load of its gr.HTML): for each model, the pictures decoded along
// the straight line from the code of one end to the other's, computed in this page (window.AEZoo), above a
// strip of the same walk in pixels (a blend). The steps slider redraws them here; the ends and the models
// come from the server as `props.walk` (zoo.app.explore_tab.walk_view).
const zoo = window.AEZoo = window.AEZoo || {};  // its parts may load after this script
const find = selector => element.querySelector(selector);
const strips = find('#explore-walk'), note = find('#explore-walk-note');
const stepsInput = find('#explore-steps input'), stepsShown = find('#explore-steps output');
const [fewest, most, first] = props.steps_range;
Object.assign(stepsInput, {min: fewest, max: most, value: first});
stepsShown.textContent = first;
let since = null, scheduled = false;
const fromServer = new Map();  // model id -> its strip, for models the page cannot run

const lerp = (a, b, t) => a.map((v, i) => (1 - t) * v + t * b[i]);

function row(label, pictures) {
  const name = document.createElement('div');
  name.className = 'zoo-strip-label';
  name.textContent = label;
  const cells = pictures.map(pixels => {
    const canvas = document.createElement('canvas');
    zoo.draw(canvas, pixels, 28);
    return canvas;
  });
  return [name, ...cells];
}

const askServer = zoo.latestOnly((id, a, b, steps) => server.walk({model: id, a, b, steps}), (answer, [id, , , steps]) => {
  fromServer.set(`${id}/${steps}`, answer);
  changed(null);
});

function frame(time) {
  scheduled = false;
  const walk = props.walk;
  if (!walk) return;
  const steps = Number(stepsInput.value);
  const a = Float32Array.from(walk.a), b = Float32Array.from(walk.b);
  const ts = Array.from({length: steps}, (_, k) => k / (steps - 1));
  const cells = row('pixels (a blend)', ts.map(t => lerp(a, b, t)));
  for (const model of walk.models) {
    const record = zoo.models.get(model.id);
    if (record && record.model) {
      const ha = record.model.encode(a), hb = record.model.encode(b);
      cells.push(...row(model.label, ts.map(t => record.model.decode(lerp(ha, hb, t)))));
    } else if (record && record.error) {
      const answer = fromServer.get(`${model.id}/${steps}`);
      if (answer && !answer.error) cells.push(...row(`${model.label} (on the server)`, answer.pixels));
      else askServer(model.id, walk.a, walk.b, steps);
    } else if (record) {
      record.ready.then(() => changed(null));  // still loading: drawn when it is in
    }
  }
  strips.style.gridTemplateColumns = `9em repeat(${steps}, 1fr)`;
  strips.replaceChildren(...cells);
  strips.dataset.frame = String(Number(strips.dataset.frame) + 1);
  note.textContent = `${walk.note}, ${steps} steps`;
  if (since !== null) zoo.timed('walk', since, time !== undefined);  // requestAnimationFrame passes a time
  since = null;
}

function changed(event) {
  if (since === null && event) since = {type: event.type, timeStamp: event.timeStamp};
  if (event) frame();  // drawn at once: the work is done while the next frame is awaited
  else if (!scheduled) { scheduled = true; requestAnimationFrame(frame); }
}

stepsInput.addEventListener('input', event => { stepsShown.textContent = stepsInput.value; changed(event); });
watch('walk', () => { fromServer.clear(); changed(null); });
changed(null);

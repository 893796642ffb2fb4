// Explore's code editor (the js_on_load of its gr.HTML): one slider per unit of the code h; the picture is
// decoded in this page (window.AEZoo, engine.js) on every move, on "Only this unit on" and on Reset.
// `props.code` (zoo.app.explore_tab.code_view) comes from the server with each new input or model: the
// model, its code h of the input, each unit's slider range and value alone, and the input's pixels.
const zoo = window.AEZoo = window.AEZoo || {};  // its parts may load after this script
const find = selector => element.querySelector(selector);
const sliders = find('#explore-sliders'), note = find('#explore-code-note'), decoded = find('#explore-decoded');
const unitInput = find('#explore-unit input');
let code = null;  // the code the sliders show now (Float32Array)
let since = null, scheduled = false;

function describe() {
  const model = props.code.model, zero = code.filter(v => v === 0).length;
  note.textContent = model.sparse_code || zero
    ? `${model.label}: ${zero} of ${code.length} units of this code are exactly zero (their sliders say off). ` +
      'Move a slider to change one unit; the picture is decoded from the sliders, in this page.'
    : `${model.label}: ${code.length} units. Move a slider to change one unit; the picture is decoded from the ` +
      'sliders, in this page.';
}

function label(i) {
  return `h${i}` + (code[i] === 0 ? ' · off' : '');
}

function build() {
  const view = props.code;
  code = Float32Array.from(view.h);
  unitInput.max = code.length - 1;
  sliders.replaceChildren(...view.h.map((value, i) => {
    const cell = document.createElement('div');
    cell.id = `explore-h${i}`;
    cell.className = 'zoo-unit';
    cell.innerHTML = '<label><span></span><input type="range"></label>';
    const range = cell.querySelector('input');
    range.min = view.low[i];
    range.max = view.high[i];
    range.step = (view.high[i] - view.low[i]) / 1000;
    range.value = value;
    cell.querySelector('span').textContent = label(i);
    range.addEventListener('input', event => {
      code[i] = Number(range.value);
      cell.querySelector('span').textContent = label(i);
      changed(event);
    });
    return cell;
  }));
  zoo.draw(find('#explore-input canvas'), view.input, 28);
  changed(null);
}

// Set every slider from `code` (after Reset or "Only this unit on").
function setSliders() {
  sliders.querySelectorAll('.zoo-unit').forEach((cell, i) => {
    cell.querySelector('input').value = code[i];
    cell.querySelector('span').textContent = label(i);
  });
}

function changed(event) {
  if (since === null && event) since = {type: event.type, timeStamp: event.timeStamp};
  if (event) frame();  // drawn at once: the work is done while the next frame is awaited
  else if (!scheduled) { scheduled = true; requestAnimationFrame(frame); }
}

// A model the page cannot run: the server decodes, the latest code only.
const askServer = zoo.latestOnly((id, h) => server.decode({model: id, code: Array.from(h)}), answer => {
  if (answer.error) note.textContent = answer.error;
  else show(answer.pixels, ' (decoded on the server: the page could not run this model)');
});

function show(pixels, where) {
  zoo.draw(decoded.querySelector('canvas'), pixels, 28);
  decoded.querySelector('figcaption').textContent = "Decoded from the sliders' code" + where;
  decoded.dataset.frame = String(Number(decoded.dataset.frame) + 1);
}

function frame(time) {
  scheduled = false;
  if (!props.code) return;
  describe();
  const record = zoo.models.get(props.code.model.id);
  if (record && record.model) show(record.model.decode(code), '');
  else if (record && record.error) askServer(props.code.model.id, code);
  else return record && record.ready.then(() => changed(null));  // still loading: draw when it is in
  if (since !== null) zoo.timed('code', since, time !== undefined);  // requestAnimationFrame passes a time
  since = null;
}

find('#explore-reset').addEventListener('click', event => {
  if (!props.code) return;
  code = Float32Array.from(props.code.h);
  setSliders();
  changed(event);
});

find('#explore-alone').addEventListener('click', event => {
  if (!props.code) return;
  const unit = Number(unitInput.value);
  if (!Number.isInteger(unit) || unit < 0 || unit >= code.length) {
    note.textContent = `Unit must be a whole number from 0 to ${code.length - 1}, got ${unitInput.value}.`;
    return;
  }
  code = new Float32Array(code.length);
  code[unit] = props.code.alone[unit];
  setSliders();
  changed(event);
});

watch('code', () => { if (props.code) build(); });
if (props.code) build();
else note.textContent = 'Open this tab, or press the button, to take the Zoo tab\'s input.';

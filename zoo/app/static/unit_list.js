// Explore's units (the js_on_load of its gr.HTML): the chosen model's units in a list, sorted here, and the
// dashboard of the unit picked, drawn by the server (zoo.app.unit_dashboard) and put in place here.
// `props.units` (zoo.app.explore_tab.units_view): the model and a row per unit.
const zoo = window.AEZoo = window.AEZoo || {};  // its parts may load after this script
const find = selector => element.querySelector(selector);
const body = find('#explore-units-table tbody'), board = find('#explore-dashboard');
let by = 'unit', picked = null;
const order = {unit: (a, b) => a.unit - b.unit, firing: (a, b) => b.firing - a.firing || a.unit - b.unit,
               selectivity: (a, b) => b.selectivity - a.selectivity || a.unit - b.unit};

function flags(row) {
  return [row.dead && 'dead', row.rare && 'rare', row.dense && 'dense', row.selective && 'selective']
    .filter(Boolean).join(', ');
}

function list() {
  if (!props.units) return;
  const rows = [...props.units.rows].sort(order[by]);
  body.replaceChildren(...rows.map(row => {
    const line = document.createElement('tr');
    line.dataset.unit = row.unit;
    if (row.unit === picked) line.className = 'zoo-picked';
    const percent = (100 * row.firing).toFixed(row.firing > 0 && row.firing < 0.01 ? 2 : 1);
    for (const text of [`h${row.unit}`, `${percent}%`, row.selectivity.toFixed(2),
                        String(row.top_class), flags(row)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      line.append(cell);
    }
    line.tabIndex = 0;  // a keyboard reaches each unit (Tab) and opens it (Enter or Space)
    line.addEventListener('click', event => openUnit(row.unit, event));
    line.addEventListener('keydown', event => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      openUnit(row.unit, event);
    });
    return line;
  }));
  find('#explore-units-sort').querySelectorAll('button').forEach(b => b.classList.toggle('zoo-on', b.dataset.by === by));
}

const ask = zoo.latestOnly((model, unit, event) => server.unit({model, unit}), (answer, [, unit, event]) => {
  if (answer.error) board.textContent = answer.error;
  else board.innerHTML = answer.html;
  board.dataset.frame = String(Number(board.dataset.frame) + 1);
  zoo.timed('unit', event, false);
});

function openUnit(unit, event) {
  picked = unit;
  body.querySelectorAll('tr').forEach(line => line.classList.toggle('zoo-picked', Number(line.dataset.unit) === unit));
  ask(props.units.model, unit, {type: event.type, timeStamp: event.timeStamp});
}

find('#explore-units-sort').addEventListener('click', event => {
  const button = event.target.closest('button');
  if (!button) return;
  by = button.dataset.by;
  list();
});

watch('units', () => {
  picked = null;
  board.innerHTML = '<p class="zoo-label">Pick a unit in the list to open its dashboard.</p>';
  list();
});
list();

// The sparse codes as one bar chart: a bar per non-zero unit, each model in its own colour, drawn into a canvas
// (a chart of DOM nodes rebuilt on every frame cost the frame a millisecond); hovering a bar names it.
// Part of window.AEZoo, as AEZoo.CodeChart.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.CodeChart) return;

  const SIZE = {width: 760, height: 180, gap: 14, text: 30};  // text: two lines under each model

  class CodeChart {
    /** `container` holds a <p> (the chart's label) and a <canvas>; `colours` [[css colour, its name], ...]. */
    constructor(container, colours) {
      Object.assign(this, {container, colours});
      this.label = container.querySelector('p');
      this.canvas = container.querySelector('canvas');
      this.canvas.bars = [];  // [from x, to x, what the bar is], for the title on hover (and for tests)
      this.canvas.addEventListener('mousemove', event => {
        const box = this.canvas.getBoundingClientRect(), x = (event.clientX - box.left) * SIZE.width / box.width;
        this.canvas.title = (this.canvas.bars.find(([from, to]) => from <= x && x < to) || [, , ''])[2];
      });
    }

    /** Each model with a sparse code in `list` gets a colour, in the list's order. */
    colourOf(list) {
      return new Map(list.filter(m => m.sparse_code).map((m, i) => [m.id, this.colours[i % this.colours.length]]));
    }

    /** `sparse`: [[entry, h], ...], the models to chart and their codes; `list`: every model (for the colours). */
    draw(sparse, list) {
      const colourOf = this.colourOf(list), chart = this.canvas;
      const named = sparse.map(([entry]) => `${entry.label} ${colourOf.get(entry.id)[1]}`).join(', ');
      const label = sparse.length ? `Sparse codes h, one bar per unit, most exactly zero: ${named}`
                                  : 'Sparse codes h: no model with a sparse code is selected.';
      if (this.label.textContent !== label) this.label.textContent = label;
      chart.hidden = !sparse.length;
      if (!sparse.length) return;
      const {width, height, gap, text} = SIZE, ratio = window.devicePixelRatio || 1;
      if (chart.width !== width * ratio) { chart.width = width * ratio; chart.height = height * ratio; }
      const context = chart.getContext('2d');
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      const step = (width - gap * (sparse.length - 1)) / sparse.reduce((n, [, h]) => n + h.length, 0);
      let top = 1e-9, bottom = 0;
      for (const [, h] of sparse) for (const v of h) { top = Math.max(top, v); bottom = Math.min(bottom, v); }
      const scale = (height - text) / (top - bottom), zero = (height - text) + bottom * scale;
      const ink = getComputedStyle(this.container).color;
      context.font = '11px sans-serif';
      chart.bars = [];
      let left = 0;
      for (const [entry, h] of sparse) {
        context.fillStyle = colourOf.get(entry.id)[0];
        let on = 0;
        h.forEach((v, i) => {
          if (v === 0) return;
          on++;
          const x = left + i * step, y = v > 0 ? zero - v * scale : zero;
          context.fillRect(x, y, Math.max(step - 1, 1), Math.max(Math.abs(v) * scale, 0.5));
          chart.bars.push([x, x + step, `${entry.label} h${i} = ${v.toFixed(3)}`]);
        });
        context.fillStyle = ink;
        context.fillText(entry.label, left, height - 17);
        context.fillText(`${on} of ${h.length} non-zero`, left, height - 3);
        left += h.length * step + gap;
      }
      context.globalAlpha = 0.4;
      context.fillRect(0, zero, width, 1);
      context.globalAlpha = 1;
    }
  }

  zoo.CodeChart = CodeChart;
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

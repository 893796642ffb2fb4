// The Zoo tab's pickers and grid: a checkbox per variant and per d, and a picture per selected model, a row per
// variant. Part of window.AEZoo, as AEZoo.ModelGrid.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.ModelGrid) return;

  class ModelGrid {
    /** `variants` and `dims`: the pickers' fieldsets; `grid`: the element the pictures go in. */
    constructor(variants, dims, grid) {
      Object.assign(this, {variants, dims, grid});
      this.cells = new Map();  // model id -> {figure, canvas, caption}
      this.shown = null;  // the ids laid out
    }

    /** A checkbox for each variant ("<variant> (yours)" for a kept model's row) and d of `list`, ticked at first. */
    pickers(list) {
      const fill = (fieldset, values) => {
        const known = new Set([...fieldset.querySelectorAll('input')].map(box => box.value));
        for (const value of values) {
          if (known.has(String(value))) continue;
          const label = document.createElement('label');
          label.innerHTML = '<input type="checkbox" checked> <span></span>';
          label.querySelector('input').value = value;
          label.querySelector('span').textContent = value;
          fieldset.append(label);
        }
      };
      fill(this.variants, [...new Set(list.map(m => m.row))]);
      fill(this.dims, [...new Set(list.map(m => m.latent_dim))].sort((a, b) => a - b));
    }

    /** The models of `list` whose variant and d are both ticked. */
    selection(list) {
      const ticked = fieldset => new Set([...fieldset.querySelectorAll('input:checked')].map(box => box.value));
      const rows = ticked(this.variants), dims = ticked(this.dims);
      return list.filter(m => rows.has(m.row) && dims.has(String(m.latent_dim)));
    }

    /** A row per variant, its models in order of d; each caption names its d, so rows of different sizes (the
     * deep model is at d=30 only) need no empty columns. */
    layout(list) {
      const chosen = this.selection(list), shown = chosen.map(m => m.id).join(' ');
      if (shown === this.shown) return;  // the same models: keep their pictures
      this.shown = shown;
      const rows = [...new Set(chosen.map(m => m.row))].map(
        row => chosen.filter(m => m.row === row).sort((a, b) => a.latent_dim - b.latent_dim));
      const columns = Math.max(1, ...rows.map(models => models.length));
      this.grid.replaceChildren();
      this.cells.clear();
      this.grid.style.gridTemplateColumns = `repeat(${columns}, 1fr)`;
      for (const models of rows) {
        for (let i = 0; i < columns; i++) {
          const entry = models[i], figure = document.createElement('figure');
          if (entry) {
            figure.innerHTML = '<canvas></canvas><figcaption class="caption-label"></figcaption>';
            figure.dataset.model = entry.id;
            this.cells.set(entry.id, {figure, canvas: figure.querySelector('canvas'),
                                      caption: figure.querySelector('figcaption')});
          }
          this.grid.append(figure);
        }
      }
    }
  }

  zoo.ModelGrid = ModelGrid;
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

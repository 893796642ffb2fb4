// The Zoo tab's canvas: strokes in black ink on a white page (as zoo.data.sketch.preprocess_sketch expects), a
// test digit placed under them, Undo and Clear. Part of window.AEZoo, as AEZoo.Sketchpad.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.Sketchpad) return;

  class Sketchpad {
    /** `canvas` to draw on, `size` its side, `brush` the pen's width, `field` a digit's side (28); `changed(event,
     * reread)` is called on every change (reread: the canvas's pixels changed). */
    constructor(canvas, {size, brush, field}, changed) {
      Object.assign(this, {canvas, size, brush, field, changed});
      this.ink = canvas.getContext('2d', {willReadFrequently: true});
      canvas.width = canvas.height = size;
      this.strokes = [];  // [[x, y], ...] per stroke, in canvas pixels
      this.pen = null;  // the pointer drawing now
      this.digit = null;  // the test digit placed on the page: {index, source, pixels}
      this.drawn = null;  // a box outside which the canvas is white ({left, top, right, bottom}), or null: all white
      // A stroke is drawn whole on each move, over the page as it was before the stroke: the canvas then holds
      // exactly what redrawing it from the strokes gives (after Undo), pixel for pixel.
      this.before = document.createElement('canvas');
      this.before.width = this.before.height = size;
      this.beforeInk = this.before.getContext('2d', {willReadFrequently: true});  // in memory, as `ink`
      canvas.addEventListener('pointerdown', event => this.down(event));
      canvas.addEventListener('pointermove', event => this.move(event));
      canvas.addEventListener('pointerup', event => this.lift(event));
      canvas.addEventListener('pointercancel', event => this.lift(event));
    }

    get drawing() { return this.pen !== null; }

    undo(event) { this.strokes.pop(); this.repaint(event); }
    clear(event) { this.strokes = []; this.digit = null; this.repaint(event); }
    place(digit, event) { this.digit = digit; this.strokes = []; this.repaint(event); }
    repaint(event) { this.paintPage(); this.changed(event, true); }

    /** What the models see: {x, source} or {error} for the person (`sketch`: the server's preprocessing constants). */
    read(sketch) {
      if (!this.strokes.length) {
        return this.digit ? {x: this.digit.pixels, source: this.digit.source} : {error: sketch.empty};
      }
      const read = zoo.prepare(this.canvas, sketch, this.drawn);
      return read.error ? read : {x: read.x, source: 'your drawing'};
    }

    paintPage() {
      const {ink, size} = this;
      ink.fillStyle = '#fff';
      ink.fillRect(0, 0, size, size);
      this.drawn = null;
      if (this.digit) {
        this.paintDigit(this.digit.pixels);
        this.widen([0, 0], [size, size]);
      }
      for (const points of this.strokes) {
        this.paintStroke(points);
        for (const point of points) this.widen(point, point);
      }
    }

    paintStroke(points) {
      const ink = this.ink;
      if (points.length === 1) {
        ink.fillStyle = '#000';
        ink.beginPath();
        ink.arc(...points[0], this.brush / 2, 0, 2 * Math.PI);
        ink.fill();
        return;
      }
      ink.strokeStyle = '#000';
      ink.lineWidth = this.brush;
      ink.lineCap = ink.lineJoin = 'round';
      ink.beginPath();
      ink.moveTo(...points[0]);
      for (const point of points.slice(1)) ink.lineTo(...point);
      ink.stroke();
    }

    // zoo.app.pictures.as_canvas: each of the digit's pixels a square, black ink on white, centred.
    paintDigit(pixels) {
      const small = document.createElement('canvas'), {size, field} = this;
      zoo.draw(small, pixels.map(v => 1 - v), field);
      const scale = Math.floor(size / field), side = scale * field, margin = (size - side) / 2;
      this.ink.imageSmoothingEnabled = false;
      this.ink.drawImage(small, margin, margin, side, side);
    }

    // The canvas is white outside the strokes' points and the brush's reach (plus its antialiased edge).
    widen([left, top], [right, bottom]) {
      const reach = this.brush / 2 + 2, box = this.drawn, size = this.size;
      left = Math.max(Math.floor(left - reach), 0);
      top = Math.max(Math.floor(top - reach), 0);
      right = Math.min(Math.ceil(right + reach), size);
      bottom = Math.min(Math.ceil(bottom + reach), size);
      this.drawn = box ? {left: Math.min(box.left, left), top: Math.min(box.top, top),
                          right: Math.max(box.right, right), bottom: Math.max(box.bottom, bottom)}
                       : {left, top, right, bottom};
    }

    at(event) {
      const box = this.canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * this.size / box.width, (event.clientY - box.top) * this.size / box.height];
    }

    down(event) {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      event.preventDefault();
      this.canvas.setPointerCapture(event.pointerId);
      this.pen = event.pointerId;
      this.beforeInk.drawImage(this.canvas, 0, 0);
      this.strokes.push([this.at(event)]);
      this.paintStroke(this.strokes[this.strokes.length - 1]);
      this.widen(this.at(event), this.at(event));
      this.changed(event, true);
    }

    move(event) {
      if (this.pen !== event.pointerId) return;
      const points = this.strokes[this.strokes.length - 1];
      const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const move of moves.length ? moves : [event]) {
        points.push(this.at(move));
        this.widen(this.at(move), this.at(move));
      }
      this.ink.drawImage(this.before, 0, 0);
      this.paintStroke(points);
      this.changed(event, true);
    }

    lift(event) {
      if (this.pen !== event.pointerId) return;
      this.pen = null;
      this.changed(event, true);
    }
  }

  zoo.Sketchpad = Sketchpad;
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

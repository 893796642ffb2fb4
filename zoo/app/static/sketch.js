// A drawing made to look like MNIST in the page, as the server does it: zoo.data.sketch.preprocess_sketch step for
// step (the ink, Pillow's Lanczos resize, the centre of mass), and MNIST's pixels drawn into a canvas.
// Part of window.AEZoo.
(() => {
  'use strict';
  const zoo = window.AEZoo = window.AEZoo || {};
  if (zoo.prepare) return;

  // ---------------------------------------------------------------------------------------------
  // A drawing made to look like MNIST: zoo.data.sketch.preprocess_sketch, step for step, with its constants
  // (`sketch`: field, box, ink_threshold, crop_threshold, luma) passed from the server.

  // Python's round(): halves go to the even neighbour.
  function roundHalfEven(v) {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  /** The grey level in [0, 1] of the RGBA pixel at byte j of `rgba` (ITU-R 601 luma weights). */
  function greyOf(luma) {
    const [r, g, b] = luma.map(w => w / 255);
    return (rgba, j) => r * rgba[j] + g * rgba[j + 1] + b * rgba[j + 2];
  }

  /** zoo.data.sketch.to_ink for an opaque RGBA canvas: ink in [0, 1], 1 where drawn, whatever the polarity.
   * `background`: the background's grey when the caller knows it (else the median of the border's). */
  function toInk(rgba, width, height, luma, background) {
    const weigh = greyOf(luma), grey = j => weigh(rgba, j);
    if (background === undefined) {
      const border = new Float32Array(2 * (width + height));
      let k = 0;
      for (let x = 0; x < width; x++) { border[k++] = grey(4 * x); border[k++] = grey(4 * ((height - 1) * width + x)); }
      for (let y = 0; y < height; y++) { border[k++] = grey(4 * y * width); border[k++] = grey(4 * (y * width + width - 1)); }
      border.sort();
      const middle = border.length >> 1;
      background = border.length % 2 ? border[middle] : (border[middle - 1] + border[middle]) / 2;
    }
    const light = background > 0.5, inkBackground = light ? 1 - background : background;
    const scale = Math.max(1 - inkBackground, 1e-6);
    const ink = new Float32Array(width * height);
    for (let i = 0, j = 0; i < ink.length; i++, j += 4) {
      const v = grey(j), value = ((light ? 1 - v : v) - inkBackground) / scale;
      ink[i] = value < 0 ? 0 : value > 1 ? 1 : value;
    }
    return ink;
  }

  // Pillow's resampling filter for Image.LANCZOS (src/libImaging/Resample.c): a 3-lobed windowed sinc,
  // widened by the scale when shrinking, which anti-aliases like MNIST's own normalisation.
  const sinc = x => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
  const lanczos = x => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0);

  function coefficients(inSize, outSize) {
    const scale = inSize / outSize, filterScale = Math.max(scale, 1), support = 3 * filterScale;
    const taps = [];
    for (let xx = 0; xx < outSize; xx++) {
      const centre = (xx + 0.5) * scale;
      const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
      const weights = new Float64Array(xmax);
      let total = 0;
      for (let x = 0; x < xmax; x++) total += (weights[x] = lanczos((x + xmin - centre + 0.5) / filterScale));
      if (total !== 0) for (let x = 0; x < xmax; x++) weights[x] /= total;
      taps.push({xmin, weights});
    }
    return taps;
  }

  /** Image.resize((outWidth, outHeight), LANCZOS) of a mode-"F" image: horizontal pass, then vertical. */
  function resize(pixels, width, height, outWidth, outHeight) {
    let image = pixels, w = width;
    if (outWidth !== width) {
      const taps = coefficients(width, outWidth), out = new Float32Array(outWidth * height);
      for (let y = 0; y < height; y++) {
        for (let xx = 0; xx < outWidth; xx++) {
          const {xmin, weights} = taps[xx];
          let s = 0;
          for (let x = 0; x < weights.length; x++) s += image[y * w + x + xmin] * weights[x];
          out[y * outWidth + xx] = s;
        }
      }
      image = out; w = outWidth;
    }
    if (outHeight !== height) {
      const taps = coefficients(height, outHeight), out = new Float32Array(w * outHeight);
      for (let yy = 0; yy < outHeight; yy++) {
        const {xmin: ymin, weights} = taps[yy];
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let y = 0; y < weights.length; y++) s += image[(y + ymin) * w + x] * weights[y];
          out[yy * w + x] = s;
        }
      }
      image = out;
    }
    return image;
  }

  /** zoo.data.sketch.normalise_ink: crop, scale into the box (aspect kept), centre by mass in the field.
   * `side`: the longer side of the whole canvas, if `ink` is only the part of it that can hold ink.
   * Returns {x: Float32Array(field * field)} or {error: the message for the person}. */
  function normaliseInk(ink, width, height, sketch, side = Math.max(width, height)) {
    let top = height, bottom = -1, left = width, right = -1, drawn = false;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = ink[y * width + x];
        if (v > sketch.ink_threshold) drawn = true;
        if (v > sketch.crop_threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (!drawn) return {error: sketch.empty};
    const cropHeight = bottom - top + 1, cropWidth = right - left + 1;
    if (Math.max(cropHeight, cropWidth) < Math.max(3, 0.04 * side)) return {error: sketch.dot};
    const crop = new Float32Array(cropWidth * cropHeight);
    for (let y = 0; y < cropHeight; y++) {
      for (let x = 0; x < cropWidth; x++) crop[y * cropWidth + x] = ink[(y + top) * width + x + left];
    }
    const scale = sketch.box / Math.max(cropHeight, cropWidth);
    const newHeight = Math.max(1, roundHalfEven(cropHeight * scale));
    const newWidth = Math.max(1, roundHalfEven(cropWidth * scale));
    const small = resize(crop, cropWidth, cropHeight, newWidth, newHeight);
    let peak = 0;
    for (let i = 0; i < small.length; i++) { if (small[i] < 0) small[i] = 0; peak = Math.max(peak, small[i]); }
    peak = Math.max(peak, 1e-6);
    let total = 0, massY = 0, massX = 0;
    for (let y = 0; y < newHeight; y++) {
      for (let x = 0; x < newWidth; x++) {
        const v = (small[y * newWidth + x] = Math.fround(small[y * newWidth + x] / peak));
        total += v; massY += y * v; massX += x * v;
      }
    }
    const field = sketch.field;
    let shiftY = roundHalfEven(field / 2 - massY / total), shiftX = roundHalfEven(field / 2 - massX / total);
    shiftY = Math.min(Math.max(shiftY, 0), field - newHeight);
    shiftX = Math.min(Math.max(shiftX, 0), field - newWidth);
    const x = new Float32Array(field * field);
    for (let y = 0; y < newHeight; y++) {
      for (let c = 0; c < newWidth; c++) x[(y + shiftY) * field + c + shiftX] = small[y * newWidth + c];
    }
    return {x};
  }

  /** preprocess_sketch of what an opaque canvas shows: {x: the model input} or {error: why there is none}.
   * `drawn` ({left, top, right, bottom}, optional): a box outside which the canvas is known to be white. When it
   * keeps off the border, only the box is read: the border, and so the background, is then white, and the ink
   * outside the box nothing; the result is the same as reading it all. */
  function prepare(canvas, sketch, drawn) {
    const {width, height} = canvas, context = canvas.getContext('2d', {willReadFrequently: true});
    if (!drawn || drawn.left < 1 || drawn.top < 1 || drawn.right > width - 1 || drawn.bottom > height - 1) {
      const rgba = context.getImageData(0, 0, width, height).data;
      return normaliseInk(toInk(rgba, width, height, sketch.luma), width, height, sketch);
    }
    const w = drawn.right - drawn.left, h = drawn.bottom - drawn.top;
    const rgba = context.getImageData(drawn.left, drawn.top, w, h).data;
    const white = greyOf(sketch.luma)([255, 255, 255, 255], 0);
    return normaliseInk(toInk(rgba, w, h, sketch.luma, white), w, h, sketch, Math.max(width, height));
  }

  /** Pixels in [0, 1] (size x size, row by row) into a canvas of that size, white on black as MNIST. */
  function draw(canvas, x, size) {
    if (canvas.width !== size) { canvas.width = size; canvas.height = size; }
    const context = canvas.getContext('2d');
    const image = context.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      // zoo.analysis.comparison.as_pixels: clipped, scaled to 255, rounded half to even as numpy does
      const v = roundHalfEven(Math.min(Math.max(x[i], 0), 1) * 255);
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  Object.assign(zoo, {prepare, normaliseInk, toInk, resize, roundHalfEven, draw});
  window.dispatchEvent(new Event('aezoo-part'));  // zoo_tab.js starts when every part is in
})();

/**
 * Looking at exported figures in Node: decode PNG and GIF, rasterise SVG (Skia through
 * @napi-rs/canvas) and PDF (pdf.js drawing onto an @napi-rs/canvas canvas), and compare two
 * pictures coarsely: each is averaged over a grid of blocks (composited on white), so text set in
 * a different font or a line anti-aliased differently moves a block's mean a little, while a
 * different figure moves many blocks a lot.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { decompressFrames, parseGIF } from 'gifuct-js';
import { ROOT } from './browser.js';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8ClampedArray;
}

/** PNG, JPEG or SVG bytes drawn at `width` x `height` (their own size when not given). */
export async function rasterize(bytes: Uint8Array, width?: number, height?: number): Promise<Pixels> {
  const image = await loadImage(Buffer.from(bytes));
  const w = width ?? image.width;
  const h = height ?? image.height;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0, w, h);
  return { width: w, height: h, data: new Uint8ClampedArray(ctx.getImageData(0, 0, w, h).data) };
}

/**
 * pdf.js 6 (even its legacy build) calls Promise.withResolvers and
 * ArrayBuffer.prototype.transferToFixedLength, which Node has from 22 on; the project runs on 20.
 */
function polyfillForPdfjs(): void {
  const buffer = ArrayBuffer.prototype as unknown as { transferToFixedLength?: (this: ArrayBuffer, length?: number) => ArrayBuffer };
  buffer.transferToFixedLength ??= function (this: ArrayBuffer, length = this.byteLength) {
    const copy = new ArrayBuffer(length);
    new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
    return copy;
  };
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** The PDF's page count, and its first page drawn `width` pixels wide. */
export async function rasterizePdf(bytes: Uint8Array, width: number): Promise<Pixels & { pages: number }> {
  polyfillForPdfjs();
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: `${path.join(ROOT, 'node_modules/pdfjs-dist/standard_fonts')}/`,
  });
  const doc = await task.promise;
  try {
    const page = await doc.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: width / natural.width });
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    // pdf.js is typed for DOM canvases; Skia's 2-D context draws the same calls.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: ctx as unknown as CanvasRenderingContext2D, viewport }).promise;
    const data = new Uint8ClampedArray(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
    return { width: canvas.width, height: canvas.height, data, pages: doc.numPages };
  } finally {
    await task.destroy();
  }
}

/** The GIF's frames, decoded. */
export function gifFrames(bytes: Uint8Array): Array<{ width: number; height: number }> {
  const gif = parseGIF(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return decompressFrames(gif, true).map((f) => ({ width: f.dims.width, height: f.dims.height }));
}

/** Writes pixels as a PNG (to look at a comparison by eye). */
export function savePng(p: Pixels, file: string): void {
  const canvas = createCanvas(p.width, p.height);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(p.width, p.height);
  image.data.set(p.data);
  ctx.putImageData(image, 0, 0);
  writeFileSync(file, canvas.toBuffer('image/png'));
}

/** How many distinct colours the picture has (a blank one has one). */
export function distinctColors(p: Pixels, limit = 64): number {
  const seen = new Set<number>();
  for (let i = 0; i < p.data.length && seen.size < limit; i += 4) {
    seen.add((p.data[i]! << 24) | (p.data[i + 1]! << 16) | (p.data[i + 2]! << 8) | p.data[i + 3]!);
  }
  return seen.size;
}

/** Mean RGB of each block of a cols x rows grid, composited on white. */
export function blocks(p: Pixels, cols = 24, rows = 16): Float64Array {
  const out = new Float64Array(cols * rows * 3);
  const count = new Float64Array(cols * rows);
  for (let y = 0; y < p.height; y++) {
    const by = Math.min(rows - 1, Math.floor((y * rows) / p.height));
    for (let x = 0; x < p.width; x++) {
      const bx = Math.min(cols - 1, Math.floor((x * cols) / p.width));
      const i = (y * p.width + x) * 4;
      const a = p.data[i + 3]! / 255;
      const b = by * cols + bx;
      for (let c = 0; c < 3; c++) out[b * 3 + c]! += p.data[i + c]! * a + 255 * (1 - a);
      count[b]!++;
    }
  }
  for (let b = 0; b < count.length; b++) for (let c = 0; c < 3; c++) out[b * 3 + c]! /= Math.max(1, count[b]!);
  return out;
}

/** Mean absolute difference of two block grids, in 0–255 per channel. */
export function blockDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error('block grids differ in size');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

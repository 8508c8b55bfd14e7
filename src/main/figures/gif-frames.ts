/**
 * Joins single-frame GIFs (each encoded by @napi-rs/canvas: palette and LZW done natively) into
 * one looping animation. Only GIF's block structure is handled here: each frame's colour table
 * becomes a local table, and a graphic control extension gives it its delay. The pixels are
 * never touched, which is the point (see renderGif in render.ts).
 */

const HEADER = Buffer.from('GIF89a', 'latin1');
/** NETSCAPE2.0 application extension: loop forever. */
const LOOP_FOREVER = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00]);

const tableBytes = (packed: number) => 3 * 2 ** ((packed & 0x07) + 1);

/** The sub-blocks starting at `p` (each a length byte and data, ended by a zero), as [start, end). */
function subBlocksEnd(gif: Buffer, p: number): number {
  while (p < gif.length && gif[p] !== 0) p += gif[p]! + 1;
  if (p >= gif.length) throw new Error('GIF frame: data runs past the end');
  return p + 1;
}

interface Frame {
  width: number;
  height: number;
  /** Image descriptor with its colour table made local, then the LZW data. */
  image: Buffer;
}

/** The first image of a single-frame GIF, with the colour table it uses as a local table. */
function firstImage(gif: Buffer): Frame {
  if (gif.length < 13 || gif.subarray(0, 3).toString('latin1') !== 'GIF') throw new Error('GIF frame: not a GIF');
  const screen = gif[10]!;
  let p = 13;
  const global = screen & 0x80 ? gif.subarray(p, (p += tableBytes(screen))) : undefined;
  while (p < gif.length) {
    const block = gif[p]!;
    if (block === 0x21) {
      p = subBlocksEnd(gif, p + 2); // extensions (the encoder's own control block) are replaced
    } else if (block === 0x2c) {
      const descriptor = Buffer.from(gif.subarray(p, p + 10));
      const packed = descriptor[9]!;
      p += 10;
      let table: Buffer;
      if (packed & 0x80) {
        table = gif.subarray(p, (p += tableBytes(packed)));
      } else if (global) {
        table = global;
        descriptor[9] = (packed & 0x40) | 0x80 | (screen & 0x07); // keep interlacing, make the table local
      } else {
        throw new Error('GIF frame: no colour table');
      }
      const dataEnd = subBlocksEnd(gif, p + 1); // LZW minimum code size, then the sub-blocks
      return { width: gif.readUInt16LE(6), height: gif.readUInt16LE(8), image: Buffer.concat([descriptor, table, gif.subarray(p, dataEnd)]) };
    } else {
      break;
    }
  }
  throw new Error('GIF frame: no image');
}

/** One animated GIF from single-frame GIFs of the same size, `delayCs` hundredths of a second each, looping. */
export function joinGifFrames(frames: readonly Buffer[], delayCs: number): Buffer {
  const images = frames.map(firstImage);
  const first = images[0];
  if (!first) throw new Error('a GIF needs at least one frame');
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(first.width, 0);
  screen.writeUInt16LE(first.height, 2);
  const control = Buffer.from([0x21, 0xf9, 0x04, 0x04 /* dispose: keep */, delayCs & 0xff, (delayCs >> 8) & 0xff, 0x00, 0x00]);
  const parts: Buffer[] = [HEADER, screen, LOOP_FOREVER];
  for (const f of images) {
    if (f.width !== first.width || f.height !== first.height) throw new Error('GIF frames differ in size');
    parts.push(control, f.image);
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

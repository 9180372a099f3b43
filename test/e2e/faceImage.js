// A test image with a real face in it: the first face of the held-out test split in
// ../shared/data (never committed), pasted off-centre onto a larger grey canvas so the
// app's face detection and square crop have work to do. Returned as PNG bytes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { encodePng } from './png.js';

const SHARED = process.env.SRLAB_SHARED ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');

/** The n-th member of a ustar shard (512-byte headers, data padded to 512). */
function tarMember(file, n) {
	const buf = readFileSync(file);
	let o = 0;
	for (let i = 0; o + 512 <= buf.length; i++) {
		const size = parseInt(buf.subarray(o + 124, o + 136).toString('ascii').replace(/\0.*$/, '').trim(), 8);
		if (i === n) return buf.subarray(o + 512, o + 512 + size);
		o += 512 + Math.ceil(size / 512) * 512;
	}
	throw new Error(`no member ${n} in ${file}`);
}

export function testFacePng({ width = 320, height = 256, x = 150, y = 60, index = 0 } = {}) {
	const face = jpeg.decode(tarMember(join(SHARED, 'data', 'faces', 'faces128-test-000.tar'), index), { useTArray: true });
	const rgb = new Uint8Array(width * height * 3).fill(128);
	for (let j = 0; j < face.height; j++) {
		for (let i = 0; i < face.width; i++) {
			const s = (j * face.width + i) * 4;
			const d = ((y + j) * width + (x + i)) * 3;
			rgb[d] = face.data[s];
			rgb[d + 1] = face.data[s + 1];
			rgb[d + 2] = face.data[s + 2];
		}
	}
	return encodePng(width, height, rgb);
}

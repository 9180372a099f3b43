// Issue 8, hostile input in the browser: a truncated JPEG and a 50-megapixel photo get a clear
// message (or a downscaled decode) and lose nothing; a share link with out-of-range values and
// HTML/script strings is clamped with readable warnings and nothing in it executes.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { setup, newPage, cellDone, galleryL2 } from './harness.js';
import { encodePng } from './png.js';

const NB = 'classical-degradations';
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

async function open(suffix = '') {
	const p = await newPage(env.browser);
	await p.page.goto(`${env.base}/notebooks/${NB}?backend=wasm${suffix}`);
	await cellDone(p.page, 'chart');
	return p;
}

/** A baseline JPEG of a smooth gradient made in Node (jpeg-js), so no data set is involved. */
function gradientJpeg(w, h) {
	const data = Buffer.alloc(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) data.set([(x * 255) / w, (y * 255) / h, 128, 255], (y * w + x) * 4);
	return jpeg.encode({ width: w, height: h, data }, 90).data;
}

it('a truncated JPEG (header intact) is refused with a message; the current face stays', async () => {
	const { page, context, errors } = await open();
	const before = await galleryL2(page);
	const full = gradientJpeg(240, 200);
	await page.setInputFiles('[data-testid="face-file"]', { name: 'cut.jpg', mimeType: 'image/jpeg', buffer: full.subarray(0, Math.floor(full.length * 0.6)) });
	await page.waitForSelector('[data-testid="face-error"]', { timeout: 30_000 });
	assert.match(await page.textContent('[data-testid="face-error"]'), /cut\.jpg.*(truncated|corrupted)/);
	assert.match(await page.textContent('[data-testid="face-label"]'), /Synthetic face/);
	assert.deepEqual(await galleryL2(page), before);
	assert.deepEqual(errors, []);
	await context.close();
});

it('a 50-megapixel photo is decoded downscaled (never at full size) and used', async () => {
	const { page, context, errors } = await open();
	// 8660 × 5774 ≈ 50 MP of flat colour: a tiny PNG that would need 200 MB decoded in full.
	const w = 8660, h = 5774;
	const rgb = new Uint8Array(w * h * 3).fill(140);
	const png = encodePng(w, h, rgb);
	assert.ok(png.length < 1_000_000, `test PNG is ${png.length} bytes`);
	// Record the sizes createImageBitmap is asked for: a full-size decode would be a failure.
	await page.evaluate(() => {
		const orig = window.createImageBitmap;
		window.__bitmapCalls = [];
		window.createImageBitmap = (src, ...rest) => {
			const o = rest.length === 1 ? rest[0] : rest[4];
			window.__bitmapCalls.push({ size: src?.size, resizeWidth: o?.resizeWidth, resizeHeight: o?.resizeHeight });
			return orig(src, ...rest);
		};
	});
	await page.setInputFiles('[data-testid="face-file"]', { name: 'fifty.png', mimeType: 'image/png', buffer: png });
	await page.waitForSelector('[data-testid="manual-crop"]', { timeout: 60_000 }); // flat colour: no face
	const calls = await page.evaluate(() => window.__bitmapCalls.filter((c) => c.size === undefined || c.size > 1000));
	assert.deepEqual(calls[0], { size: png.length, resizeWidth: 1024, resizeHeight: 683 });
	await page.click('[data-testid="manual-crop-accept"]');
	await page.waitForFunction(() => document.querySelector('[data-testid="face-label"]')?.textContent?.includes('fifty.png'), null, { timeout: 30_000 });
	await cellDone(page, 'chart', 2);
	assert.deepEqual(errors, []);
	await context.close();
});

/** A share link built from arbitrary JSON, as an attacker would (deflate-raw + base64url). */
const craft = (obj) => 's1.' + deflateRawSync(Buffer.from(JSON.stringify(obj))).toString('base64url');

it('a hostile link: values clamped with warnings shown as text, nothing executes, the page works', async () => {
	const evil = '<img src=x onerror="window.__pwned=1">';
	// Two keys alike in their first 40 characters give two identical warnings.
	const long = 'javascript:alert(1)//' + 'x'.repeat(30);
	const payload = craft({
		notebookId: NB,
		params: { gallery: { jpegQuality: 1e308, noiseSigma: -7, noiseSeed: -1 }, [evil]: { a: 1 }, [long + 'A']: {}, [long + 'B']: {}, '<script>window.__pwned=2</script>': {} },
		images: { face: { kind: 'jpeg', name: evil, width: 9999, height: 4, bytes: 'AAAA' } }
	});
	const { page, context, errors } = await open(`#s=${payload}`);
	const notices = await page.$$eval('[data-testid="notice"]', (els) => els.map((e) => e.textContent));
	assert.ok(notices.some((n) => n.includes('<img src=x onerror=')), `the HTML is shown as text: ${notices.join(' | ')}`);
	assert.equal(notices.filter((n) => n.includes('javascript:alert(1)')).length, 2, 'two identical warnings, both shown');
	assert.ok(notices.some((n) => /invalid size/.test(n)), 'the bad image is named');
	assert.ok(notices.some((n) => /JPEG quality: 1e\+308 is outside 1…100; using 100/.test(n)), 'clamped with a warning');
	assert.equal(await page.inputValue('[aria-label="JPEG quality value"]'), '100');
	assert.equal(await page.inputValue('[aria-label="Noise σ value"]'), '0');
	assert.equal(await page.$('[data-testid="notice"] img, [data-testid="notice"] script, img[src="x"]'), null);
	assert.equal(await page.evaluate(() => window.__pwned), undefined);
	assert.match(await page.textContent('[data-testid="face-label"]'), /Synthetic face/);
	assert.deepEqual(errors, []);
	await context.close();
});

it('altered face-detector weights: the upload names the model and offers the manual crop', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.route('**/vendor/face-api/tiny_face_detector_model.bin', async (route) => {
		const body = Buffer.from(await (await route.fetch()).body());
		body.fill(0, 1000, 1004);
		await route.fulfill({ status: 200, contentType: 'application/octet-stream', body });
	});
	await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
	await cellDone(page, 'chart');
	const w = 120, h = 100;
	await page.setInputFiles('[data-testid="face-file"]', { name: 'grey.png', mimeType: 'image/png', buffer: encodePng(w, h, new Uint8Array(w * h * 3).fill(90)) });
	await page.waitForSelector('[data-testid="manual-crop"]', { timeout: 60_000 });
	assert.match(await page.textContent('[data-testid="face-error"]'), /face detector failed \(face detector weights: shard tiny_face_detector_model\.bin failed its sha256 check/);
	assert.deepEqual(errors, []);
	await context.close();
});

it('session titles with HTML/script are shown as text in the notebook, its notices and the Sessions page', async () => {
	const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>javascript:alert(1)';
	const { page, context, errors } = await open();
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
	await page.fill('[data-testid="session-title"]', evil);
	await page.press('[data-testid="session-title"]', 'Tab'); // change event → rename
	// the rename is asynchronous: leaving the page before it is stored would lose it
	await page.waitForFunction(async (t) => {
		const db = await new Promise((res, rej) => {
			const r = indexedDB.open('srlab');
			r.onsuccess = () => res(r.result);
			r.onerror = () => rej(r.error);
		});
		const all = await new Promise((res) => {
			const q = db.transaction('sessions').objectStore('sessions').getAll();
			q.onsuccess = () => res(q.result);
		});
		db.close();
		return all.some((s) => s?.title === t);
	}, evil);
	const id = new URL(page.url()).searchParams.get('session');
	await page.goto(`${env.base}/sessions`);
	await page.waitForFunction((t) => document.querySelector('[data-testid="session-open"]')?.textContent === t, evil);
	// Opened from another notebook, the notice quotes the title.
	await page.goto(`${env.base}/notebooks/progressive-growth?backend=wasm&session=${id}`);
	await page.waitForSelector('[data-testid="notice"]');
	assert.ok((await page.textContent('[data-testid="notice"]')).includes(`Session “${evil}” belongs to another notebook`));
	assert.equal(await page.$('img[src="x"], [data-testid="notice"] script'), null);
	assert.equal(await page.evaluate(() => window.__pwned), undefined);
	assert.deepEqual(errors, []);
	await context.close();
});

it('Sessions page: huge, corrupted and newer-version files are refused with messages; stored sessions untouched', async () => {
	const { page, context, errors } = await open();
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
	await page.goto(`${env.base}/sessions`);
	await page.waitForSelector('[data-testid="session-row"]');
	const before = await page.$$eval('[data-testid="session-row"]', (els) => els.map((e) => e.textContent));
	const files = [
		['huge.json', Buffer.alloc(21 * 1024 * 1024, 32), /too big \(21\.0 MB; the limit is 20 MB\)/],
		['cut.json', Buffer.from('{"format":"srlab-sessions","version":1,"sessions":[{"schema":1,"id":"a'), /not valid JSON/],
		['damaged.json', Buffer.from('{"format":"srlab-sessions","version":1,"sessions":[{"schema":1,"title":"<img src=x onerror=alert(1)>"}]}'), /Session 1 of 1 \("<img src=x onerror=alert\(1\)>"\) is damaged/],
		['newer.json', Buffer.from('{"format":"srlab-sessions","version":2,"sessions":[]}'), /newer version of srlab/]
	];
	for (const [name, buffer, message] of files) {
		await page.setInputFiles('[data-testid="sessions-import"]', { name, mimeType: 'application/json', buffer });
		await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-testid="sessions-error"]')?.textContent ?? ''), message.source, { timeout: 30_000 });
	}
	assert.equal(await page.$('img[src="x"]'), null);
	assert.deepEqual(await page.$$eval('[data-testid="session-row"]', (els) => els.map((e) => e.textContent)), before);
	assert.deepEqual(errors, []);
	await context.close();
});

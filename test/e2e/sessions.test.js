// The Sessions page (rename, duplicate, export, delete, import, open), a corrupted record set
// aside without harm to the others, and two tabs on one session never overwriting silently.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setup, newPage, cellDone } from './harness.js';

const NB = 'classical-degradations';
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

/** A fresh browser context on the notebook, once its first session is stored. */
async function openSaved() {
	const p = await newPage(env.browser);
	await p.page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
	await cellDone(p.page, 'chart');
	await p.page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
	return p;
}

/** Change a numeric parameter through its number box, as a person typing would. */
async function setNumber(page, label, value) {
	await page.fill(`[aria-label="${label} value"]`, String(value));
	await page.press(`[aria-label="${label} value"]`, 'Enter');
}

/** Writes raw values straight into the sessions store, as damage or another version would. */
function plant(page, entries) {
	return page.evaluate(
		(entries) =>
			new Promise((resolve, reject) => {
				const req = indexedDB.open('srlab');
				req.onsuccess = () => {
					const tx = req.result.transaction('sessions', 'readwrite');
					for (const [key, value] of entries) tx.objectStore('sessions').put(value, key);
					tx.oncomplete = () => resolve(true);
					tx.onerror = () => reject(tx.error);
				};
				req.onerror = () => reject(req.error);
			}),
		entries
	);
}

const rows = (page) => page.$$eval('[data-testid="session-row"]', (els) => els.map((e) => e.querySelector('[data-testid="session-open"]')?.textContent?.trim()));

it('lists, renames, duplicates, exports, deletes, imports and opens sessions', async () => {
	const { page, context, errors } = await openSaved();
	await setNumber(page, 'JPEG quality', 77);
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');

	await page.goto(`${env.base}/sessions`);
	await page.waitForSelector('[data-testid="session-row"]');
	assert.equal((await rows(page)).length, 1);

	await page.click('[data-testid="session-rename"]');
	await page.fill('[data-testid="session-rename-input"]', 'My <b>bold</b> experiment');
	await page.press('[data-testid="session-rename-input"]', 'Enter');
	await page.waitForFunction(() => document.querySelector('[data-testid="session-open"]')?.textContent?.includes('My <b>bold</b> experiment'));
	assert.equal(await page.$('[data-testid="session-open"] b'), null, 'titles are text, never HTML');

	await page.click('[data-testid="session-duplicate"]');
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 2);

	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="session-export"] >> nth=0')]);
	const exported = await readFile(await download.path(), 'utf8');
	assert.match(exported, /"format":\s*"srlab-sessions"/);

	await page.click('[data-testid="session-delete"] >> nth=0');
	await page.click('[data-testid="session-delete-confirm"]');
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 1);

	await page.setInputFiles('[data-testid="sessions-import"]', { name: 'sessions.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 2);
	await page.setInputFiles('[data-testid="sessions-import"]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"srlab-sessions","version":99,"sessions":[]}') });
	await page.waitForSelector('[data-testid="sessions-error"]');
	assert.equal((await rows(page)).length, 2, 'a rejected import leaves sessions untouched');

	// Open one: the notebook restores its parameters.
	await page.click('[data-testid="session-open"] >> nth=0');
	await page.waitForURL(/\/notebooks\/classical-degradations\?session=/);
	await cellDone(page, 'chart');
	assert.equal(await page.inputValue('[aria-label="JPEG quality value"]'), '77');
	assert.deepEqual(errors, []);
	await context.close();
});

it('sets a corrupted record aside and still lists the others', async () => {
	const { page, context } = await openSaved();
	await plant(page, [['broken1', { schema: 1, id: 'broken1', title: 42, state: 'garbage' }]]);
	await page.goto(`${env.base}/sessions`);
	await page.waitForSelector('[data-testid="broken-row"]');
	assert.ok((await page.textContent('[data-testid="broken-reason"]')).length > 5);
	assert.equal((await rows(page)).length, 1, 'the good session still loads');
	await context.close();
});

/** Two tabs on one session; the first has just saved Noise σ = 12, which the second has not seen. */
async function twoTabsFirstSaved() {
	const { page, context } = await openSaved();
	const second = await context.newPage();
	await second.goto(page.url());
	await cellDone(second, 'chart');
	await setNumber(page, 'Noise σ', 12);
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
	return { page, second, context };
}

it('two tabs on one session: the second writer is told, not silently overwritten', async () => {
	const { page, second, context } = await twoTabsFirstSaved();
	await setNumber(second, 'Noise σ', 30);
	await second.waitForSelector('[data-testid="save-conflict"]', { timeout: 30_000 });
	assert.match(await second.textContent('[data-testid="save-status"]'), /another tab/);
	await context.close();
});

it('two tabs: a rename in the second tab does not let its next save overwrite the first tab (issue 19 #3)', async () => {
	const { page, second, context } = await twoTabsFirstSaved();
	// The second tab renames (its title box commits on change), then edits.
	await second.fill('[data-testid="session-title"]', 'Renamed in the second tab');
	await second.press('[data-testid="session-title"]', 'Tab');
	await second.waitForFunction(() => [...document.querySelectorAll('[data-testid="notice"]')].some((n) => /another tab/.test(n.textContent ?? '')));
	await setNumber(second, 'Noise σ', 30);
	await second.waitForSelector('[data-testid="save-conflict"]', { timeout: 30_000 });
	// What is stored is still the first tab's change.
	const third = await context.newPage();
	await third.goto(page.url());
	await cellDone(third, 'chart');
	assert.equal(await third.inputValue('[aria-label="Noise σ value"]'), '12');
	await context.close();
});

it('damaged records under the keys 1 and "1" are listed, exported and deleted one by one (issue 19 #4)', async () => {
	const { page, context } = await openSaved();
	await plant(page, [[1, { junk: 'number' }], ['1', { junk: 'string' }]]);
	await page.goto(`${env.base}/sessions`);
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="broken-row"]').length === 2);
	const ids = await page.$$eval('[data-testid="broken-row"] code', (els) => els.map((e) => e.textContent));
	const numberRow = ids.findIndex((t) => /number key/.test(t ?? ''));
	assert.ok(numberRow >= 0, `rows: ${ids}`);
	const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="broken-export"] >> nth=${numberRow}`)]);
	assert.match(await readFile(await download.path(), 'utf8'), /"junk": "number"/);
	await page.click(`[data-testid="broken-delete"] >> nth=${numberRow}`);
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="broken-row"]').length === 1);
	assert.equal(await page.textContent('[data-testid="broken-row"] code'), '1');
	await context.close();
});

it('an imported file gets the checks a link gets: out-of-range values clamped with warnings shown (issue 19 #5)', async () => {
	const { page, context, errors } = await openSaved();
	await page.goto(`${env.base}/sessions`);
	await page.waitForSelector('[data-testid="session-row"]');
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="session-export"] >> nth=0')]);
	const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
	// Every number parameter of the file set to 1e308.
	let changed = 0;
	for (const vals of Object.values(doc.sessions[0].state.params)) {
		for (const k of Object.keys(vals)) if (typeof vals[k] === 'number') (vals[k] = 1e308), changed++;
	}
	assert.ok(changed > 0);
	await page.setInputFiles('[data-testid="sessions-import"]', { name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
	await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 2);
	assert.match(await page.textContent('[data-testid="sessions-warnings"]'), /1e\+308 is outside/);
	assert.deepEqual(errors, []);
	await context.close();
});

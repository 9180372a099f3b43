// scripts/setup-system.js (npm's pretest): which action it takes, given which checks pass and who
// runs it; the probes are replaced by their results (decide is pure), and probe() is tried on
// paths that cannot exist, so nothing here depends on what this machine has installed.
import { describe, expect, it, vi } from 'vitest';
import { APT_INSTALL, USER_COMMAND, decide, main, probe } from '../../scripts/setup-system.js';

type Check = { name: string; ok: boolean; what: string; custom?: string; detail?: string };
const chromium = (ok: boolean, custom = false): Check => ({ name: 'chromium', ok, what: 'Chromium', custom: custom ? 'CHROMIUM_PATH' : undefined, detail: '/x is not an executable file' });
const python = (ok: boolean, custom = false): Check => ({ name: 'python', ok, what: 'torch', custom: custom ? 'SRLAB_PYTHON' : undefined, detail: '/py: not found' });
const fonts = (ok: boolean): Check => ({ name: 'fonts', ok, what: 'DejaVu fonts' });
const who = (o: Partial<{ isRoot: boolean; hasSudo: boolean; hasApt: boolean; checkOnly: boolean }> = {}) => ({ isRoot: false, hasSudo: false, hasApt: true, checkOnly: false, ...o });
const ENV = ['env', 'DEBIAN_FRONTEND=noninteractive'];

describe('setup-system decide()', () => {
	it('does nothing when everything is present, whoever runs it', () => {
		for (const w of [who(), who({ isRoot: true }), who({ hasSudo: true }), who({ checkOnly: true }), who({ hasApt: false })])
			expect(decide([chromium(true), python(true), fonts(true)], w)).toEqual({ action: 'ok' });
	});

	it('as root: apt-get update, then installs all the packages, without sudo', () => {
		for (const checks of [[chromium(false), python(true), fonts(true)], [chromium(true), python(false), fonts(true)], [chromium(true), python(true), fonts(false)], [chromium(false), python(false), fonts(false)]])
			expect(decide(checks, who({ isRoot: true }))).toEqual({ action: 'install', commands: [[...ENV, 'apt-get', 'update', '-q'], [...ENV, ...APT_INSTALL]] });
		expect(APT_INSTALL).toEqual(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium', 'python3-torch', 'python3-numpy', 'python3-pil', 'fonts-dejavu-core']);
	});

	it('not root but password-less sudo: the same through sudo -n', () => {
		expect(decide([chromium(false), python(true), fonts(true)], who({ hasSudo: true }))).toEqual({
			action: 'install',
			commands: [['sudo', '-n', ...ENV, 'apt-get', 'update', '-q'], ['sudo', '-n', ...ENV, ...APT_INSTALL]]
		});
	});

	it('neither root nor sudo: fails with the one command to run', () => {
		const d = decide([chromium(true), python(false), fonts(true)], who());
		expect(d.action).toBe('fail');
		if (d.action !== 'fail') return;
		expect(d.lines.at(-1)).toBe(`Run: ${USER_COMMAND}`);
		expect(USER_COMMAND).toBe('sudo apt-get install -y --no-install-recommends chromium python3-torch python3-numpy python3-pil fonts-dejavu-core');
		expect(d.lines.filter((l) => l.includes('apt-get'))).toHaveLength(1);
	});

	it('--check-only never installs: root or sudo are told `npm run pretest`, others the sudo command', () => {
		const checks = [chromium(false), python(true), fonts(true)];
		for (const w of [who({ checkOnly: true, isRoot: true }), who({ checkOnly: true, hasSudo: true })]) {
			const d = decide(checks, w);
			expect(d).toMatchObject({ action: 'fail' });
			if (d.action === 'fail') expect(d.lines.at(-1)).toBe('Run: npm run pretest');
		}
		const d = decide(checks, who({ checkOnly: true }));
		if (d.action === 'fail') expect(d.lines.at(-1)).toBe(`Run: ${USER_COMMAND}`);
		else expect.unreachable();
	});

	it('a CHROMIUM_PATH or SRLAB_PYTHON of your own is never "fixed" by apt, even as root', () => {
		for (const checks of [[chromium(false, true), python(true), fonts(true)], [chromium(false, true), python(false), fonts(true)], [chromium(true), python(false, true), fonts(true)]]) {
			const d = decide(checks, who({ isRoot: true }));
			expect(d.action).toBe('fail');
			if (d.action === 'fail') expect(d.lines.some((l) => /^(CHROMIUM_PATH|SRLAB_PYTHON)=.*unset/.test(l))).toBe(true);
		}
	});

	it('without apt-get (not Debian) it says so instead of installing', () => {
		const d = decide([chromium(false), python(true), fonts(true)], who({ isRoot: true, hasApt: false }));
		expect(d.action).toBe('fail');
		if (d.action === 'fail') expect(d.lines.join('\n')).toMatch(/no apt-get/);
	});
});

describe('setup-system probes', () => {
	it('a CHROMIUM_PATH or SRLAB_PYTHON that does not exist fails its check, marked as the user\'s own', () => {
		const [c, p] = probe(['chromium', 'python'], { CHROMIUM_PATH: '/nonexistent/chromium', SRLAB_PYTHON: '/nonexistent/python3' });
		expect(c).toMatchObject({ name: 'chromium', ok: false, custom: 'CHROMIUM_PATH' });
		expect(p).toMatchObject({ name: 'python', ok: false, custom: 'SRLAB_PYTHON', detail: '/nonexistent/python3: not found' });
	});

	it('main --check-only: exit 1 with the reason, and never runs apt-get', () => {
		const err = vi.spyOn(console, 'error').mockImplementation(() => {});
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		try {
			expect(main(['--check-only', 'chromium'], { CHROMIUM_PATH: '/nonexistent/chromium' })).toBe(1);
			const said = err.mock.calls.map((c) => String(c[0])).join('\n');
			expect(said).toContain('CHROMIUM_PATH=/nonexistent/chromium is not an executable file');
			expect(log.mock.calls.map((c) => String(c[0])).join('\n')).not.toMatch(/running/);
			expect(main(['--check-only', 'nonsense'], {})).toBe(2);
		} finally {
			err.mockRestore();
			log.mockRestore();
		}
	});
});

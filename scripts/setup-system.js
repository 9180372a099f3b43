// The system packages the tests need, installed when they are missing: `npm test` runs this as
// its `pretest`. Checks Chromium (CHROMIUM_PATH, default /usr/bin/chromium: browser tests),
// Python with torch, numpy and PIL (SRLAB_PYTHON, default /usr/bin/python3: training tests) and
// the DejaVu fonts (browser tests). All present: one line, nothing else. Something missing:
// as root, `apt-get update` + `apt-get install` of Debian's packages, then checks again; not root
// but password-less sudo works, the same through `sudo -n`; otherwise it prints the one command
// to run and exits 1. A CHROMIUM_PATH or SRLAB_PYTHON of your own is never "fixed" by apt: it
// only says what is wrong with it.
//
// Usage: node scripts/setup-system.js                    check, install what is missing
//        node scripts/setup-system.js --check-only [chromium|python|fonts ...]
//                                                        check (those) only, never install
// SRLAB_SETUP_DRY_RUN=1: print the install commands it would run instead of running them.
// Plain Node, no dependencies (it runs before anything else, and after `npm ci` only).
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const DEFAULT_PYTHON = '/usr/bin/python3';
export const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
/** Debian's packages for every check, installed together (apt skips those already there). */
export const PACKAGES = ['chromium', 'python3-torch', 'python3-numpy', 'python3-pil', 'fonts-dejavu-core'];
export const APT_INSTALL = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...PACKAGES];
/** The one command a user without root or password-less sudo is told to run. */
export const USER_COMMAND = `sudo apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
export const CHECK_NAMES = ['chromium', 'python', 'fonts'];

/**
 * @typedef {{ name: string, ok: boolean, what: string, custom?: string, detail?: string }} Check
 *   custom: the environment variable that chose a non-default path (apt cannot fix that one)
 * @typedef {{ action: 'ok' }
 *   | { action: 'install', commands: string[][] }
 *   | { action: 'fail', lines: string[] }} Decision
 */

/**
 * What to do, given the checks' results and who we are. Pure: the probes are made elsewhere.
 * @param {Check[]} checks
 * @param {{ isRoot: boolean, hasSudo: boolean, hasApt: boolean, checkOnly: boolean }} who
 * @returns {Decision}
 */
export function decide(checks, { isRoot, hasSudo, hasApt, checkOnly }) {
	const missing = checks.filter((c) => !c.ok);
	if (missing.length === 0) return { action: 'ok' };
	const own = missing.filter((c) => c.custom);
	const debian = missing.filter((c) => !c.custom);
	const lines = [`setup-system: missing: ${missing.map((c) => c.what).join('; ')}.`];
	for (const c of own) lines.push(`${c.custom}=${c.detail}: fix it or unset ${c.custom} to use Debian's package.`);
	if (debian.length === 0) return { action: 'fail', lines };
	if (!hasApt) {
		lines.push(`This is not a Debian system (no apt-get): install them yourself and set CHROMIUM_PATH / SRLAB_PYTHON.`);
		return { action: 'fail', lines };
	}
	if (own.length === 0 && !checkOnly && (isRoot || hasSudo)) {
		const sudo = isRoot ? [] : ['sudo', '-n'];
		const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
		return { action: 'install', commands: [[...sudo, ...env, 'apt-get', 'update', '-q'], [...sudo, ...env, ...APT_INSTALL]] };
	}
	// `npm test` installs them itself as root or with password-less sudo; otherwise the one command
	lines.push(`Run: ${checkOnly && (isRoot || hasSudo) ? 'npm run pretest' : USER_COMMAND}`);
	return { action: 'fail', lines };
}

// ---- the probes ----

function isExecutableFile(path) {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

/** @param {string[]} names  which checks, of CHECK_NAMES @returns {Check[]} */
export function probe(names, env = process.env) {
	/** @type {Check[]} */
	const checks = [];
	if (names.includes('chromium')) {
		const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
		const custom = path !== DEFAULT_CHROMIUM ? 'CHROMIUM_PATH' : undefined;
		const ok = isExecutableFile(path);
		const version = ok ? spawnSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).stdout?.trim() : '';
		checks.push({ name: 'chromium', ok, what: ok ? version || path : `Chromium (${path})`, custom, detail: `${path} is not an executable file` });
	}
	if (names.includes('python')) {
		const python = env.SRLAB_PYTHON || DEFAULT_PYTHON;
		const custom = python !== DEFAULT_PYTHON ? 'SRLAB_PYTHON' : undefined;
		const r = spawnSync(python, ['-c', 'import torch, numpy, PIL; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
		const ok = r.status === 0;
		const why = r.error ? 'not found' : (r.stderr ?? '').trim().split('\n').pop() || `exit ${r.status}`;
		checks.push({ name: 'python', ok, what: ok ? `${python} with torch ${r.stdout.trim()}` : `torch, numpy and PIL for ${python}`, custom, detail: `${python}: ${why}` });
	}
	if (names.includes('fonts')) {
		const ok = existsSync(FONT_FILE);
		checks.push({ name: 'fonts', ok, what: ok ? 'DejaVu fonts' : `DejaVu fonts (${FONT_FILE})` });
	}
	return checks;
}

function canSudo() {
	return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** @param {string[]} argv @returns {number} exit code */
export function main(argv, env = process.env) {
	const checkOnly = argv.includes('--check-only');
	const asked = argv.filter((a) => !a.startsWith('--'));
	const unknown = asked.filter((a) => !CHECK_NAMES.includes(a));
	if (unknown.length) {
		console.error(`setup-system: unknown check ${unknown.join(', ')} (known: ${CHECK_NAMES.join(', ')})`);
		return 2;
	}
	const names = asked.length ? asked : CHECK_NAMES;
	const dryRun = Boolean(env.SRLAB_SETUP_DRY_RUN && env.SRLAB_SETUP_DRY_RUN !== '0');
	const isRoot = process.getuid?.() === 0;
	let checks = probe(names, env);
	const who = () => ({ isRoot, hasSudo: !isRoot && !checks.every((c) => c.ok) && canSudo(), hasApt: existsSync('/usr/bin/apt-get'), checkOnly });
	let decision = decide(checks, who());
	if (decision.action === 'install') {
		console.log(`setup-system: missing: ${checks.filter((c) => !c.ok).map((c) => c.what).join('; ')}; installing Debian's packages`);
		for (const cmd of decision.commands) {
			console.log(`${dryRun ? 'would run' : 'running'}: ${cmd.join(' ')}`);
			if (dryRun) continue;
			const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
			if (r.status !== 0) {
				console.error(`setup-system: \`${cmd.join(' ')}\` failed (${r.error ? r.error.message : `exit ${r.status}`}).`);
				return 1;
			}
		}
		if (dryRun) {
			console.error('setup-system: dry run (SRLAB_SETUP_DRY_RUN): nothing installed.');
			return 1;
		}
		checks = probe(names, env);
		const still = checks.filter((c) => !c.ok);
		if (still.length) {
			console.error(`setup-system: still missing after installing ${PACKAGES.join(' ')}: ${still.map((c) => c.detail ?? c.what).join('; ')}.`);
			return 1;
		}
		decision = { action: 'ok' };
	}
	if (decision.action === 'ok') {
		console.log(`setup-system: all present: ${checks.map((c) => c.what).join(', ')}`);
		return 0;
	}
	if (decision.action === 'fail') for (const line of decision.lines) console.error(line);
	return 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));

// The perception–distortion plane (paper 004's argument: lower distortion, PSNR, is not higher
// perceptual quality): PSNR (x) against FID-proxy (y) for every SR method srlab ships, measured
// offline on the same faces64 test faces by `npm run eval:plane` and read from
// /eval/perception-distortion.json. Until that file exists the cell says so. View: Plane.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { parsePlaneReport, type PlaneReport } from './planeData';

export const PLANE_URL = '/eval/perception-distortion.json';

export type PlaneState = { state: 'missing'; reason: string } | ({ state: 'measured' } & PlaneReport);

export async function fetchPlane(signal: AbortSignal, fetchFn: typeof fetch = fetch): Promise<PlaneState> {
	const res = await fetchFn(PLANE_URL, { signal, cache: 'no-cache' });
	if (res.status === 404) return { state: 'missing', reason: `${PLANE_URL} does not exist: the plane has not been measured yet (npm run eval:plane writes it).` };
	if (!res.ok) throw new Error(`${PLANE_URL}: HTTP ${res.status}`);
	let raw: unknown;
	try {
		raw = await res.json();
	} catch {
		throw new Error(`${PLANE_URL} is not JSON`);
	}
	return { state: 'measured', ...parsePlaneReport(raw) };
}

export const srganPlane = defineCell({
	kind: 'srgan-plane',
	summary: 'The perception–distortion plane: PSNR vs FID-proxy of every shipped SR method, plotted and tabled.',
	params: {
		plane: {
			type: 'select',
			label: 'Faces',
			options: [
				{ value: 'all', label: 'All measured test faces' },
				{ value: 'srnam_subset', label: 'The SR-NAM subset (with SR-NAM’s points)' }
			],
			default: 'all',
			help: 'SR-NAM is slow, so it ran on a subset; that plane measures every method on the same subset. FID-proxy compares within a plane only.'
		}
	},
	compute: (ctx) => fetchPlane(ctx.signal)
});

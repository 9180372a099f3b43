import { describe, expect, it } from 'vitest';
import { backendOrder, fallbackSentence } from '../../src/lib/backend/order';

describe('backend order', () => {
	it('tries WebGPU, WebGL, WASM, CPU by default', () => {
		expect(backendOrder(null).order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
	});
	it('puts a forced backend first and keeps the rest as fallback', () => {
		expect(backendOrder('wasm')).toEqual({ order: ['wasm', 'webgpu', 'webgl', 'cpu'], forced: 'wasm' });
	});
	it('flags an unknown name instead of failing', () => {
		expect(backendOrder('<script>')).toMatchObject({ invalid: '<script>', order: ['webgpu', 'webgl', 'wasm', 'cpu'] });
	});
	it('explains a fallback in one sentence', () => {
		const s = fallbackSentence('webgpu', 'wasm', 'no adapter');
		expect(s).toBe('WebGPU could not start (no adapter), so srlab runs on WebAssembly.');
	});
});

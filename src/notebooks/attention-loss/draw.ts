// Canvas drawing shared by the face views (Face.svelte, BrushGrid.svelte): a small RGBImage
// enlarged with crisp pixels onto a canvas of the display size, so overlays (landmark dots,
// region masks, brush cells) can be drawn on top at full resolution.
import { toRGBA, type RGBImage } from '$lib/image/rgb';

/** `image` drawn onto `canvas` resized to px × px; the context for overlays, or null without 2-D canvas. */
export function drawEnlarged(canvas: HTMLCanvasElement, image: RGBImage, px: number): CanvasRenderingContext2D | null {
	canvas.width = px;
	canvas.height = px;
	const g = canvas.getContext('2d');
	if (!g) return null;
	const src = new OffscreenCanvas(image.width, image.height);
	src.getContext('2d')!.putImageData(new ImageData(toRGBA(image), image.width, image.height), 0, 0);
	g.imageSmoothingEnabled = false;
	g.drawImage(src, 0, 0, px, px);
	return g;
}

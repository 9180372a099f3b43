// The page's single GPU queue: notebook cells and one-off work (face detection) share it.
import { GpuQueue } from './gpuQueue';

export const pageGpuQueue = new GpuQueue();

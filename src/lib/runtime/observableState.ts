// A controller's view state that Svelte views subscribe to (the store contract: `subscribe`
// calls the listener at once and returns the unsubscriber). Controllers that drive long work
// (the SR-NAM search, live GAN training) patch it with `set`; views only read.

export class ObservableState<S extends object> {
	state: S;
	private listeners = new Set<(s: S) => void>();

	constructor(initial: S) {
		this.state = initial;
	}

	subscribe(listener: (s: S) => void): () => void {
		this.listeners.add(listener);
		listener(this.state);
		return () => this.listeners.delete(listener);
	}

	/** Merge `patch` into the state and tell every listener. */
	protected set(patch: Partial<S>): void {
		this.state = { ...this.state, ...patch };
		for (const l of this.listeners) l(this.state);
	}

	/** Forget every listener (the controller is being disposed). */
	protected dropListeners(): void {
		this.listeners.clear();
	}
}

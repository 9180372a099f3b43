// On a host that cannot send COOP/COEP, the page the browser first loaded is not cross-origin
// isolated (no SharedArrayBuffer: tfjs wasm on one thread). Once the service worker controls the
// page, a reload comes through it with the headers added. Reload once per tab, never in a loop
// (a browser that still does not isolate stays as it is). Sessions are saved as they change and a
// reload reopens the one in the address, so nothing is lost.

export const RELOADED_KEY = 'srlab-isolation-reload';

export interface IsolationEnv {
	isolated: () => boolean;
	/** null where there are no service workers */
	serviceWorker: Pick<ServiceWorkerContainer, 'controller' | 'addEventListener'> | null;
	store: Pick<Storage, 'getItem' | 'setItem'>;
	reload: () => void;
}

/** Reload now if the worker already controls a non-isolated page, else when it takes control. */
export function reloadForIsolation(env: IsolationEnv): void {
	const sw = env.serviceWorker;
	if (!sw || env.isolated()) return;
	const once = () => {
		if (env.isolated() || env.store.getItem(RELOADED_KEY)) return;
		env.store.setItem(RELOADED_KEY, '1');
		env.reload();
	};
	if (sw.controller) once();
	else sw.addEventListener('controllerchange', once);
}

export function browserIsolationEnv(): IsolationEnv {
	return {
		isolated: () => globalThis.crossOriginIsolated === true,
		serviceWorker: 'serviceWorker' in navigator ? navigator.serviceWorker : null,
		store: sessionStorage,
		reload: () => location.reload()
	};
}

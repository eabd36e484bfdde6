// False on the server and while React hydrates server-rendered HTML, true on
// any render in the browser after that. Unlike a mount effect, a component
// mounted later (a card scrolled into a virtualized grid) is live in its first
// render, without a second one.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

// zod for the shared modules (islands import them). In a browser, zod would
// probe for eval (new Function) to compile faster parsers; the site's CSP
// forbids eval, so the probe only fails and leaves a CSP violation in the
// console (Lighthouse's best-practices audit counts it). Browsers parse
// without compiling; the server keeps the compiled parsers.
import { z } from 'zod';

if (typeof document !== 'undefined') z.config({ jitless: true });

export { z };

// The client's IP for rate limiting. X-Forwarded-For is attacker-controlled
// unless our own proxy sets it, so it is read only when TRUST_PROXY=true, and
// then only its last entry: the address our proxy saw and appended.
import { isIP } from 'node:net';

export function clientIp(request: Request, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last && isIP(last)) return last;
  }
  return socketAddress || 'unknown';
}

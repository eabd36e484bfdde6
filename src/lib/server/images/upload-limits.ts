// Uploads are expensive (decode, normalize, placeholder): a signed-in seller
// may start at most 60 in 10 minutes. Per process; uploads need an account,
// so this bounds one account's cost rather than stopping a botnet.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors.ts';

const uploads = new RateLimiterMemory({ keyPrefix: 'uploads', points: 60, duration: 600 });

export async function assertUploadAllowed(userId: string): Promise<void> {
  try {
    await uploads.consume(userId, 1);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new AppError('RATE_LIMITED', `Too many uploads; try again in ${seconds} seconds`, undefined, {
      'Retry-After': String(seconds),
    });
  }
}

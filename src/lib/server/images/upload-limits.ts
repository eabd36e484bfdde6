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

// Each upload in progress holds its body in memory (up to the 10 MB limit)
// until it is normalized, and the transform queue bounds only the sharp work
// behind it. At most this many per process are read and processed at once, so
// a burst of uploads costs at most ~80 MB of buffers; the next is refused
// before a byte of its body is read.
export const uploadsInFlight = { count: 0, max: 8 };

export async function withUploadSlot<T>(run: () => Promise<T>): Promise<T> {
  if (uploadsInFlight.count >= uploadsInFlight.max) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Too many uploads in progress; please retry shortly', undefined, {
      'Retry-After': '2',
    });
  }
  uploadsInFlight.count++;
  try {
    return await run();
  } finally {
    uploadsInFlight.count--;
  }
}

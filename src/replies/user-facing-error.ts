// A refusal thrown by a handler (like Sapphire's UserError). The router catches it and answers the
// member privately with the refusal's sentence; nothing is logged as an error, because nothing broke.
import type { Refusal } from './reasons.js';

export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(readonly refusal: Refusal) {
    super(`refused: ${refusal.reason}`);
  }
}

export function isUserFacingError(err: unknown): err is UserFacingError {
  return err instanceof UserFacingError;
}

// Errors services raise for the HTTP layer to map to a status (one onError does the mapping).
export type ServiceErrorCode = 'not-found' | 'invalid' | 'conflict' | 'exhausted' | 'unavailable' | 'forbidden' | 'unauthorized';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    /** Swedish, shown to staff as is. */
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

const statuses = {
  'not-found': 404,
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  exhausted: 409,
  unavailable: 503,
} as const;

export const statusOf = (code: ServiceErrorCode) => statuses[code];

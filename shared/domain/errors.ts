/**
 * Errors the domain raises on purpose. Each carries the HTTP status and the stable `code` callers read;
 * anything else that escapes a handler is a bug and becomes a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid API key is required: Authorization: Bearer <api key>.') {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** The link exists but can no longer be used (expired, invoice closed). */
export class GoneError extends DomainError {
  constructor(message: string) {
    super(410, 'gone', message);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(message: string) {
    super(429, 'too_many_requests', message);
  }
}

/** A conditional write lost a race; callers re-read and retry. */
export class VersionConflict extends Error {
  constructor(readonly key: string) {
    super(`Concurrent update of ${key}`);
    this.name = 'VersionConflict';
  }
}
